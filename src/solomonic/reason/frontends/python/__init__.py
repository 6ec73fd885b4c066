"""The Python front end: `ast` in, IR out, for the subset of Python whose meaning it models exactly."""
