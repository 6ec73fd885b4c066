"""Benchmark harnesses: each writes a JSON result and a section of docs/benchmarks.md."""
