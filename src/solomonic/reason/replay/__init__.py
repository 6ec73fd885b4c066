"""Replay: a counterexample run for real (C compiled with sanitizers, Python in a subprocess), sandboxed
with limits on time, memory, processes and files. A "no" is said only once its replay shows it.

May import: `ir`.
"""
