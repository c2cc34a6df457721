"""The API double the fetch and sync tests ask: started once a test module, reset for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.apidouble import ApiDouble, api_double


@pytest.fixture(scope="module")
def started_double(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiDouble]:
    with api_double(tmp_path_factory.mktemp("double") / "double.log") as served:
        yield served


@pytest.fixture
def double(started_double: ApiDouble) -> ApiDouble:
    """The double as it starts: its records, no faults switched on, no requests logged."""
    started_double.reset()
    return started_double
