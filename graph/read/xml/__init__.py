"""The registry's classic XML records: a ``clinical_study`` parsed into a record
(:mod:`~graph.read.xml.study`), its values written the classic way read into the registry's
current words and forms (:mod:`~graph.read.xml.values`).

May import: the root of :mod:`graph` and :mod:`graph.read.text`.
"""
