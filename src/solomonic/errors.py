"""The one exception the command line reports as a one-line error with exit status 2."""


class UserError(Exception):
    """Bad input, an impossible configuration, an unusable checkpoint: the user's to fix, not a bug."""
