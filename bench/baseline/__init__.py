"""The benchmark's baseline: the straightforward first pass the product is measured against.

Deliberately naive, and not used by the product: a plain ``networkx.MultiDiGraph`` with dict
attributes (:func:`build_networkx`), questions answered by walking and scanning it
(:mod:`bench.baseline.queries`). It reads the product's own records
(``graph.read.records.load_records``) and keys entities with the product's :mod:`graph.keys`, so the
two graphs hold the same trials, entities and relations.
"""

from bench.baseline.build import build_networkx
from bench.baseline.queries import OPERATIONS

__all__ = ["OPERATIONS", "build_networkx"]
