"""The C front end: gcc's preprocessor, pycparser's parser, and a lowering of the C subset it models
exactly (machine integers, pointers into arrays and structs, the data model's layout) to the IR."""
