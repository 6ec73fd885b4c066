"""The one exception of the concrete evaluator: a construct it does not model exactly.

It lives apart from `evaluate` because the evaluator's helpers (`wildcard`, `variables`, `conditions`) raise
it too, and they sit below `evaluate`. An analysis that meets it answers unknown with the reason; it never
guesses what AWS would decide.
"""


class Unsupported(Exception):
    """A policy element or request value whose AWS meaning the evaluator does not model exactly (the message
    says which, and why)."""
