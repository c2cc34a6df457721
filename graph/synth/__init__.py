"""A deterministic generator of ClinicalTrials.gov-shaped study records, at any scale.

``write_corpus(CorpusSpec(trials=N, seed=S), path)`` writes N registry API v2 study objects
as JSON Lines; the same spec always writes the same bytes. The corpus has the registry's
shape and skew:

- sites per trial: none for 12%, one for 45%, else a capped (2,000) shifted Pareto tail whose
  exponent is solved for the requested average (6 by default; a few trials in 10,000 above
  1,000 sites);
- sponsors, collaborators, conditions, interventions, facilities, investigators and countries
  shared across trials by Zipf laws (:mod:`graph.synth.entities`), the most common condition
  in about one trial in fifteen;
- the irregularities of real records: missing modules, partial dates, dates without type,
  observational studies without phases, combined phases, statuses by registration age, sites
  listed without a country (3% of studies, as older records do), and one organization,
  facility or person spelt several ways that resolve to one key.

It is the product's ``trialgraph synth``; the benchmarks and tests make their corpora with it.
May import: the root of :mod:`graph` only.
"""

from graph.synth.spec import CorpusSpec, SynthError
from graph.synth.writer import ProgressLine, Written, generate_studies, write_corpus

__all__ = ["CorpusSpec", "ProgressLine", "SynthError", "Written", "generate_studies", "write_corpus"]
