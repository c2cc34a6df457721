"""Data flows one way: documents -> graph/ -> schema/ -> server/; configuration enters once."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.paths import REPO

ENVIRONMENT = re.compile(r"\bos\.environ\b|\bgetenv\(|from os import .*environ")
FORBIDDEN = {
    "graph": {"schema", "server", "strawberry", "starlette", "uvicorn", "graphql"},
    "schema": {"server", "starlette", "uvicorn"},
    "server": set(),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_flow_one_way(package: str) -> None:
    wrong = {
        str(path.relative_to(REPO)): sorted(_imports(path) & FORBIDDEN[package])
        for path in sorted((REPO / package).rglob("*.py"))
        if _imports(path) & FORBIDDEN[package]
    }
    assert wrong == {}


def test_the_environment_is_read_in_one_place() -> None:
    readers = sorted(
        str(path.relative_to(REPO))
        for package in FORBIDDEN
        for path in (REPO / package).rglob("*.py")
        if ENVIRONMENT.search(path.read_text(encoding="utf-8"))
    )
    assert readers == ["server/settings.py"]
