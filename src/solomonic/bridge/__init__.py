"""The bridge between the reasoner and the models (issue 28): the reasoner learns which proofs to try.

Data flow: programs.py generates loops whose answers are known by construction; corpus.py has the
reasoner prove them (and any other files) and keeps each re-checked certificate beside the loop it
proves, as text (reason/symbolic/describe.py). A B'MOJO proposer trained on that corpus will suggest
certificates that the reasoner checks like any other, so a wrong proposal costs time, never an answer.
"""
