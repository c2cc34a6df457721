"""What most schema tests answer from: the seed and the shared registry records, loaded once a
module, and the schema with its fast path. A module that needs another graph defines its own
``loaded``."""

from __future__ import annotations

import pytest
import strawberry

from graph.build.loading import TrialGraph, load_graph
from schema.build import create_schema
from tests.paths import CTGOV, SEEDS


@pytest.fixture(scope="module")
def loaded() -> TrialGraph:
    return load_graph([SEEDS, CTGOV])


@pytest.fixture(scope="module")
def schema() -> strawberry.Schema:
    return create_schema()
