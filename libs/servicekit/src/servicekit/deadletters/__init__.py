"""Dead letters an operator can list, read and replay (issue 14).

A consumer that cannot apply a record keeps it in its service's `dead_letters` table (and still
sends it to the group's dead-letter topic for outside tooling); the operator API and
`mediprima dead-letters` replay it through the group's own handler once the cause is fixed.
"""
