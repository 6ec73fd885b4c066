"""The one exception of the concrete evaluator: the answer depends on something it does not model."""


class Undecided(Exception):
    """The packet's fate depends on a resource or construct that is not modelled exactly (a transit gateway,
    a prefix list the snapshot lacks, ...); the message names it. The answer is unknown, never a guess."""
