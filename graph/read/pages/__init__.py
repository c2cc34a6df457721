"""Trial pages (the text format of ``FORMAT.md``): a page split into paragraphs
(:mod:`~graph.read.pages.paragraphs`) and sections (:mod:`~graph.read.pages.headings`), its
Study Groups read into arms and interventions (:mod:`~graph.read.pages.groups`), the whole page
parsed into a record (:mod:`~graph.read.pages.page`).

May import: the root of :mod:`graph` and :mod:`graph.read.text`.
"""
