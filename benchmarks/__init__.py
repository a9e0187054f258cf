"""Benchmarks: `python -m benchmarks [NAME ...]` (or `make benchmarks`). Each module here with
a `run()` returning a dict of figures is one benchmark; see __main__.py."""
