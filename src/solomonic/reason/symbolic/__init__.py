"""From the IR to logic: a function as a transition system over program locations (`system.py`) and its
exact encoding in Z3 (`encode.py`), shared by the engines and the certificate checks.

May import: `ir`.
"""
