"""Loading in columns: what :mod:`graph.build` does trial by trial, done a column at a time.

The per-record path plans each trial in Python (:mod:`graph.build.trialplan`) and merges the
plans one step at a time (:class:`graph.build.builder.Builder`); at registry scale that is about
35 mentions a trial, each costing microseconds of bytecode. Here every mention of a load is one
row of a table, keyed once per distinct spelling, and resolved by group-bys in polars.

So far, each equal to what the per-record path gives (``tests/graph/test_bulk.py``,
``tests/graph/test_bulk_registry.py``): a load's mentions read from its records into frames
(:mod:`graph.bulk.rows`), the entities (:mod:`graph.bulk.entities`) and edges
(:mod:`graph.bulk.edges`) they resolve to, the sites listed without a country placed and every
entity named (:mod:`graph.bulk.names`); a reader of registry JSON with no Python per mention
(:mod:`graph.bulk.registryjson`): every kind of mention and the trial's own fields
(:mod:`graph.bulk.trialfields`), the lines it leaves to the per-record reader named
(:mod:`graph.bulk.jsonlines`); those frames made into a load's mentions
(:mod:`graph.bulk.registrymentions`) and each trial's own part (:mod:`graph.bulk.trialparts`);
and all of it handed to the builder, which finishes the graph (:mod:`graph.bulk.handover`).
:mod:`graph.bulk.load` loads one JSON Lines file that way (``python -m bench.engines`` measures
each step).
"""
