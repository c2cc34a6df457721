from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.live import LiveServer, live_server
from tests.paths import SEEDS

# Hypothesis profiles for the fuzz tests: "ci" (the default) keeps each test to seconds; "long"
# (HYPOTHESIS_PROFILE=long) tries over 100,000 documents in all. No example database: the
# fuzz tests print the blob to reproduce a failure instead.
_FUZZ = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow],
}
settings.register_profile("ci", max_examples=60, **_FUZZ)
settings.register_profile("long", max_examples=12_000, **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def seed_server() -> Iterator[LiveServer]:
    """The service as the README starts it: the seed only, default settings."""
    with live_server([str(SEEDS)]) as server:
        yield server
