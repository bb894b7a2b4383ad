"""console: the web console for operators, OCMW staff and GPs over the five services' APIs."""
