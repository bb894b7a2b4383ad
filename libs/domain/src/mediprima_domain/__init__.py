"""Rules several services answer alike, each decided once (one function, one code, one test).

Pure: no session, no clock (pass `today`), no HTTP. Each service's read model only feeds them.
`mediprima_domain.readmodel` is the one exception: the SQL side of the decision read model that
consultation and tariffing keep, so they feed the resolution the same history.
"""
