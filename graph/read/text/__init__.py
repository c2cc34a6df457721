"""Text helpers every reader shares: cleaning a text value (:mod:`~graph.read.text.plain`) and
splitting eligibility criteria into items (:mod:`~graph.read.text.criteria`, line by line in
:mod:`~graph.read.text.criterialines`).

May import: the root of :mod:`graph` only.
"""
