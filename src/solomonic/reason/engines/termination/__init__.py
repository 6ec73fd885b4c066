"""Termination: ranking functions (linear, lexicographic, multiphase, piecewise) for loops and recursive
cycles, and concrete non-terminating runs, replayed for real."""
