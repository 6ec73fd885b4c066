"""Engines: the searches for proofs and counterexamples over the IR. `dispatch.py` routes a question;
`safety.py` races bounded model checking (`bmc.py`) against Spacer (`spacer.py`); `termination/`
synthesises rankings and finds non-terminating runs; `houdini.py` finds inductive invariants among
candidates. Whatever an engine finds is re-checked (`certify`) or replayed (`replay`) before it is said.

May import: `ir`, `symbolic`, `certify`, `replay`, `result`. Never the front ends or the CLI.
"""
