"""Loading in columns: what :mod:`graph.build` does trial by trial, done a column at a time.

The per-record path plans each trial in Python (:mod:`graph.build.trialplan`) and merges the
plans one step at a time (:class:`graph.build.builder.Builder`); at registry scale that is about
35 mentions a trial, each costing microseconds of bytecode. Here every mention of a load is one
row of a table, keyed once per distinct spelling, and resolved by group-bys in polars.

So far: the entities (:mod:`graph.bulk.entities`), resolved as the builder resolves them.
"""
