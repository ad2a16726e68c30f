"""The benchmark suite: `python -m bench [--quick] [--reuse]` (see README.md, "Benchmarks")."""
