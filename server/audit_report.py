"""The audit of ``trialgraph audit`` (:mod:`graph.query.audit`) as a report to read, or as JSON.

The report has a table of every kind's figures, a paragraph on anonymised sites, then a section
per kind: the nodes with the most distinct spellings (each spelling shown) and the biggest hubs,
each with the id that ``node(id:)`` finds. The JSON holds the same figures under camelCase keys,
in the order the report gives them.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from graph.query.audit import Audit, Listed

_WORD_START = re.compile(r"_([a-z])")
_SPELLING_SEPARATOR = " | "
WIDTH = 100  # spellings wrap before this column


def audit_json(audit: Audit) -> str:
    """The audit as JSON: keys in a stable order, camelCase as the GraphQL API writes them."""
    return json.dumps(_camel(dataclasses.asdict(audit)), ensure_ascii=False, indent=2) + "\n"


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            _WORD_START.sub(lambda m: m.group(1).upper(), key): _camel(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [_camel(item) for item in value]
    return value


def audit_text(audit: Audit) -> str:
    """The audit as a report: aligned columns, a section per kind."""
    sites = audit.anonymized_sites
    rows: list[list[str]] = [
        [kind.kind, _count(kind.nodes), _count(kind.mentions), _count(kind.merged), _count(kind.respelt)]
        for kind in audit.kinds
    ]
    at = next((n for n, kind in enumerate(audit.kinds) if kind.kind == "Site"), len(rows) - 1) + 1
    rows.insert(
        at,
        [
            "Site, anonymised",
            _count(sites.nodes),
            _count(sites.listings),
            _count(sites.merged),
            _count(sites.respelt),
        ],
    )
    lines = [
        f"Audit of {audit.trials:,} trials: {audit.nodes:,} nodes, {audit.edges:,} edges",
        "",
        *_table(["kind", "nodes", "mentions", "merged", "respelt"], rows),
        "",
        "mentions: places in the records that name an entity of the kind (a site's: its listings);",
        "merged: nodes with 2 or more mentions; respelt: nodes with 2 or more distinct spellings;",
        "a country's edges keep no field, so its mentions are not counted (-).",
        "",
        f"Anonymised sites: {sites.nodes:,} nodes from {sites.listings:,} listings; "
        f"{sites.with_postal_code:,} keyed on a postal code,",
        f"{sites.merged:,} of them merged (2 or more listings); {sites.without_postal_code:,} listed "
        "without a postal code, each a site of its own.",
    ]
    sections = [(kind.kind, kind.most_spellings, kind.biggest_hubs) for kind in audit.kinds]
    sections.insert(at, ("Site, anonymised", sites.most_spellings, sites.biggest_hubs))
    for name, most_spellings, biggest_hubs in sections:
        lines += ["", f"== {name}: most spellings (top {audit.top})"]
        lines += _listing(["spellings", "mentions", "trials", "node"], most_spellings, spelt=True)
        lines += ["", f"== {name}: biggest hubs (top {audit.top})"]
        lines += _listing(["trials", "mentions", "spellings", "node"], biggest_hubs, spelt=False)
    return "\n".join(lines) + "\n"


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _listing(headers: list[str], nodes: list[Listed], spelt: bool) -> list[str]:
    """Nodes in a table, each followed (``spelt``) by its spellings, indented under the node."""
    if not nodes:
        return ["(none)"]
    rows = []
    for node in nodes:
        figures = [_count(len(node.spellings)), _count(node.mentions), _count(node.trials)]
        if not spelt:
            figures = [figures[2], figures[1], figures[0]]
        name = f"{node.name} ({node.place})" if node.place else node.name
        rows.append([*figures, f"{name}  [{node.id}]"])
    lines = _table(headers, rows, left=frozenset({len(headers) - 1}))
    if not spelt:
        return lines
    indent = " " * (len(lines[0]) - len(headers[-1]))
    shown = [lines[0]]
    for line, node in zip(lines[1:], nodes, strict=True):
        shown += [line, *_wrapped(node.spellings, indent)]
    return shown


def _wrapped(spellings: list[str], indent: str) -> list[str]:
    """Spellings one after the other, a new line before one that would pass :data:`WIDTH`."""
    lines = [indent]
    for spelling in spellings:
        if lines[-1] == indent:
            lines[-1] += spelling
        elif len(lines[-1]) + len(_SPELLING_SEPARATOR) + len(spelling) <= WIDTH:
            lines[-1] += _SPELLING_SEPARATOR + spelling
        else:
            lines[-1] += _SPELLING_SEPARATOR.rstrip()
            lines.append(indent + spelling)
    return lines


def _table(headers: list[str], rows: list[list[str]], left: frozenset[int] = frozenset({0})) -> list[str]:
    """Columns two spaces apart: text (the columns of ``left``) to the left, figures to the right,
    headers aligned as their columns."""
    widths = [max(len(row[column]) for row in [headers, *rows]) for column in range(len(headers))]

    def line(cells: list[str]) -> str:
        padded = [
            cell.ljust(widths[column]) if column in left else cell.rjust(widths[column])
            for column, cell in enumerate(cells)
        ]
        return "  ".join(padded).rstrip()

    return [line(headers), *(line(row) for row in rows)]
