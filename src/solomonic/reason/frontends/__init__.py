"""Front ends: source text in, IR out. One subpackage per language (`c/`, `python/`), sharing the
control-flow graph builder (`cfg.py`). A front end models a construct exactly or declines it
(`ir.Unsupported`, the answer unknown); it never rewrites one into something else.

May import: `ir`. Never the engines, the certificate checks, replay or the CLI.
"""
