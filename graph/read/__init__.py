"""Reading: documents found under the given paths and parsed into trial records.

:mod:`graph.read.sources` finds the inputs (files, directories, zips) and deals out their
documents (:mod:`graph.read.documents`); one package per input format parses a document into a
:class:`~graph.model.TrialRecord`: :mod:`graph.read.registry` (registry API v2 JSON: JSON Lines,
search pages, the bulk zip), :mod:`graph.read.xml` (the registry's classic XML) and
:mod:`graph.read.pages` (trial pages, see ``FORMAT.md``); :mod:`graph.read.text` holds the text
helpers they share (cleaning, eligibility criteria). :mod:`graph.read.records` reads them all:
one record per trial, every problem reported.

May import: the root of :mod:`graph` only.
"""
