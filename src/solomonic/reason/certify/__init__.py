"""Certificate checks: a claimed proof (inductive invariants) re-checked from scratch, by a fresh
solver, against the transition system, independently of the engine that found it.

May import: `ir`, `symbolic`.
"""
