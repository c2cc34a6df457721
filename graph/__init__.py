"""Documents into one resolved graph of trials, and the questions and exports it answers.

The packages are the stages a document travels through, in order; each may import the modules
at this root and the stages before it, never a later one (``make lint`` checks this with
import-linter's contracts in ``pyproject.toml``):

1. :mod:`graph.read` - documents found and parsed into trial records (pages, registry JSON,
   classic XML);
2. :mod:`graph.compact` - the store the graph lives in: numpy arrays of nodes and edges, their
   attributes, the search index, relations read back, snapshots;
3. :mod:`graph.build` - records into the graph: keys and resolution, a trial's plan, the
   builder, reading ahead in other processes, and loading (documents or a snapshot in, a
   :class:`~graph.build.loading.TrialGraph` out);
4. :mod:`graph.query` - questions to a built graph: filters, traversal, related trials, facets,
   geography, mentions and the audit; beside it, :mod:`graph.bulk` - the building done in columns
   (polars, DuckDB), each part equal to the per-record build's, not yet what loading takes;
5. :mod:`graph.export` - the graph written for graph tools.

At the root: the record model (:mod:`graph.model`), problems and errors (:mod:`graph.errors`),
the registry's enum words (:mod:`graph.vocabulary`) and the normalised keys every stage
compares names by (:mod:`graph.keys`). Beside the stages, :mod:`graph.synth` writes synthetic
registry records (``trialgraph synth``); it imports only the root. Nothing here imports
:mod:`schema`, :mod:`server` or :mod:`bench`.
"""
