"""Where the test data lives: the repo's seeds and the read-only shared folder beside the repo."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = REPO / "seeds"
SEED_PAGE = next(SEEDS.glob("*.txt"))
CTGOV = SHARED / "data" / "ctgov"
PAGES = SHARED / "data" / "text"
CTGOV_XML = SHARED / "data" / "ctgov-xml"
CONTRACT = SHARED / "contract"
GRAPHML_XSD = SHARED / "graphml-xsd"
SHARED_NCT_IDS = sorted(path.stem for path in CTGOV.glob("*.json"))
