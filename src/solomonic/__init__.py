"""solomonic: automated reasoning about programs, and the B'MOJO sequence-model family."""

__version__ = "0.1.0"
