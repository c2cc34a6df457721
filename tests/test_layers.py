"""Data flows one way: documents -> graph/ -> schema/ -> server/; configuration enters once.

The layout's import rules are import-linter contracts in ``pyproject.toml`` that ``make lint``
checks; the tests here run the same check on a copy of the packages, whole and with one wrong
import each, so a rule that stopped biting would show.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
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


LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("graph", "schema", "server", "bench")
# A wrong import, where it is put, and how the report names it.
WRONG = {
    "a reader imports a later stage": (
        "graph/read/records.py", "import graph.query.search", "graph.read.records -> graph.query.search"
    ),
    "graph imports the server": (
        "graph/model.py", "import server.settings", "graph.model -> server.settings"
    ),
    "the schema imports the server": (
        "schema/context.py", "import server.settings", "schema.context -> server.settings"
    ),
    "the product imports the benchmarks": (
        "server/cli.py", "import bench.figures", "server.cli -> bench.figures"
    ),
    "the store imports the builder": (
        "graph/compact/store.py", "import graph.build.builder", "graph.compact.store -> graph.build.builder"
    ),
    "two schema modules import each other": ("schema/enums.py", "import schema.trial", ".enums -> .trial"),
    "the per-record builder imports the columnar path": (
        "graph/build/builder.py", "import graph.bulk.rows", "graph.build.builder -> graph.bulk.rows"
    ),
}  # fmt: skip


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` (as ``make lint`` runs it) over the copy of the packages in ``tree``."""
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def packages_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("layout")
    for package in PACKAGES:
        skipped = shutil.ignore_patterns("__pycache__", "static")
        shutil.copytree(REPO / package, tree / package, ignore=skipped)
    shutil.copy(REPO / "pyproject.toml", tree)
    return tree


def test_the_layout_keeps_its_import_rules(packages_copy: Path) -> None:
    done = _lint_imports(packages_copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize("wrong", sorted(WRONG))
def test_a_wrong_import_breaks_the_lint(packages_copy: Path, tmp_path: Path, wrong: str) -> None:
    module, line, reported = WRONG[wrong]
    tree = tmp_path / "tree"
    shutil.copytree(packages_copy, tree)
    path = tree / module
    source = path.read_text(encoding="utf-8")
    future = "\nfrom __future__ import annotations\n"
    start = source.index(future) + len(future)  # the wrong import goes right after it
    path.write_text(f"{source[:start]}{line}  # noqa\n{source[start:]}", encoding="utf-8")
    done = _lint_imports(tree)
    assert done.returncode != 0, done.stdout
    assert reported in done.stdout, done.stdout  # the report names the import
