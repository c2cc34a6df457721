"""Registry API v2 JSON: study records in JSON Lines, search pages, lists or the bulk zip
(:mod:`~graph.read.registry.files`), each checked field by field (:mod:`~graph.read.registry.fields`)
and parsed into a record (:mod:`~graph.read.registry.study`).

May import: the root of :mod:`graph`, :mod:`graph.read.documents` and :mod:`graph.read.text`.
"""
