from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live import LiveServer, live_server
from tests.paths import SEEDS


@pytest.fixture(scope="session")
def seed_server() -> Iterator[LiveServer]:
    """The service as the README starts it: the seed only, default settings."""
    with live_server([str(SEEDS)]) as server:
        yield server
