"""Synthetic recall tasks and an offline corpus for the models."""
