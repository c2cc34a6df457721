"""What corpus to generate, checked once: how many trials, the seed, the average sites per trial."""

from __future__ import annotations

from dataclasses import dataclass

# NCT numbers are spread over NCT00000100 .. NCT07000099, as the registry's are.
NCT_SPAN = 7_000_000


class SynthError(ValueError):
    """Raised when a corpus cannot be generated as asked (a count or an average out of range)."""


@dataclass(frozen=True, slots=True)
class CorpusSpec:
    """The parameters of a corpus; the same spec always gives the same bytes.

    >>> CorpusSpec(trials=0)
    Traceback (most recent call last):
    ...
    graph.synth.spec.SynthError: --trials must be 1 to 7,000,000, got 0
    """

    trials: int
    seed: int = 0
    sites_per_trial: float = 6.0

    def __post_init__(self) -> None:
        if not 1 <= self.trials <= NCT_SPAN:
            raise SynthError(f"--trials must be 1 to {NCT_SPAN:,}, got {self.trials:,}")
        if not 1.5 <= self.sites_per_trial <= 100:  # what the site-count law can reach, with margin
            raise SynthError(f"--sites-per-trial must be 1.5 to 100, got {self.sites_per_trial}")
