"""Registry API v2 JSON: study records in JSON Lines, search pages, lists or the bulk zip
(:mod:`~graph.read.registry.files`). A document holding one study is read the quick way: decoded
into typed structs, its types checked in compiled code (:mod:`~graph.read.registry.shapes`), and
made into its record (:mod:`~graph.read.registry.typedstudy`). Any other, or a study with anything
to report, is read the general way: checked field by field (:mod:`~graph.read.registry.fields`)
and parsed into a record (:mod:`~graph.read.registry.study`), each problem at its JSON path.

May import: the root of :mod:`graph`, :mod:`graph.read.documents` and :mod:`graph.read.text`.
"""
