"""Benchmarks, and the corpus generator they use."""
