"""The store a graph lives in: numpy arrays of nodes and edges in a frozen networkx view.

Nodes and edges are collected in any order and sorted into a
:class:`~graph.compact.store.GraphStore` (:mod:`~graph.compact.assemble`), with their
attributes encoded in blobs and strings in tables (:mod:`~graph.compact.tables`);
:class:`~graph.compact.graph.CompactGraph` shows it as a networkx ``MultiDiGraph``. The search
index (:mod:`~graph.compact.index`), an entity's relations read back in a stable order
(:mod:`~graph.compact.relations`), sets of node positions (:mod:`~graph.compact.positions`) and
snapshots of store and index in one file (:mod:`~graph.compact.snapshot`) are here too.

May import: the root of :mod:`graph` only.
"""
