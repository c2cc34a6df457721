"""Building: trial records into one resolved graph in the compact store, and its index.

A record is planned alone (:mod:`~graph.build.trialplan`: node ids from the normalised keys,
anonymised sites (:mod:`~graph.build.anonymized`, :mod:`~graph.build.entityids`), the trial's
attributes (:mod:`~graph.build.trialattributes`), index words, edges); the
:class:`~graph.build.builder.Builder` merges the plans and resolves what needs every trial
(naming, sites without a country, coordinates from :mod:`~graph.build.gazetteer`).
:mod:`~graph.build.readahead` reads and plans in other processes while the builder merges;
:mod:`~graph.build.loading` is the entry point: documents (or a snapshot) in, a
:class:`~graph.build.loading.TrialGraph` out.

May import: the root of :mod:`graph`, :mod:`graph.read` and :mod:`graph.compact`.
"""
