"""Questions to a built graph, answered from the compact store and its index in numpy.

Trials by filter and entities by text (:mod:`~graph.query.search`), paths and neighborhoods
(:mod:`~graph.query.traversal`), related trials (:mod:`~graph.query.related`), facets
(:mod:`~graph.query.facets`), geography (:mod:`~graph.query.geo`), where the sources name an
entity (:mod:`~graph.query.mentions`) and the audit of merges (:mod:`~graph.query.audit`).

May import: the root of :mod:`graph` and :mod:`graph.compact`.
"""
