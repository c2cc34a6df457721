"""The audit of merges: every figure on records where each count is known, and on the 880 real
registry records, pinned and recomputed another way (from the records, and node by node)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from graph.build.anonymized import is_anonymized
from graph.build.builder import build_graph
from graph.build.loading import TrialGraph, load_graph
from graph.compact.graph import CompactGraph
from graph.compact.relations import counts_by_kind, kind_of
from graph.keys import lookup_key
from graph.model import (
    LIST_SEPARATOR,
    Intervention,
    Location,
    MeshTerm,
    NodeKind,
    Official,
    Source,
    Sponsor,
    TrialRecord,
    listed,
)
from graph.query.audit import AUDITED, AnonymizedSites, Audit, KindAudit, Listed, audit
from graph.query.mentions import NAMING, mentions
from graph.read.records import load_records
from tests.paths import SHARED

STUDIES = SHARED / "data" / "registry" / "studies.zip"

# -- records where every count is known ------------------------------------------------------


def _trial(nct: str, **fields: Any) -> TrialRecord:
    return TrialRecord(nct, Source(f"{nct}.json", format="ctgov-json"), **fields)


NSCLC = MeshTerm("D002289", "Carcinoma, Non-Small-Cell Lung")
LUNG = MeshTerm("D008175", "Lung Neoplasms")
RECORDS = [
    _trial(
        "NCT00000001",
        conditions=["Non-Small Cell Lung Cancer", "Flu"],
        sponsors=[Sponsor("Acme Inc.", "LEAD", field="sponsors.leadSponsor")],
        officials=[Official("Dr. Ann Lee", "PRINCIPAL_INVESTIGATOR", field="overallOfficials[0]")],
        locations=[
            Location("Research Site", "Seoul", country="Korea", zip="03080", field="locations[0]"),
            Location("Research Site", "Seoul", country="Korea", field="locations[1]"),  # no postal code
            Location(
                "Mayo Clinic",
                "Rochester",
                country="United States",
                field="locations[2]",
                # Names the person (a mention of the investigator), not the site.
                investigators=[Official("Ann Lee, MD", "SUB_INVESTIGATOR", field="locations[2].contacts[0]")],
            ),
        ],
        countries=["Korea", "United States"],
        interventions=[Intervention("Placebo", "DRUG", field="interventions[0]")],
        condition_meshes=[NSCLC],
        condition_ancestors=[LUNG],
    ),
    _trial(
        "NCT00000002",
        conditions=["Non Small Cell Lung Cancer"],
        sponsors=[Sponsor("ACME", "LEAD", field="sponsors.leadSponsor")],
        officials=[Official("ANN LEE", "STUDY_DIRECTOR", field="overallOfficials[0]")],
        locations=[
            Location("RESEARCH SITE", "Seoul", country="Korea", zip="03080", field="locations[0]"),
            Location("Mayo Clinic.", "Rochester", country="United States", field="locations[1]"),
            Location("Mayo Clinic", "Rochester", country="United States", field="locations[2]"),  # again
        ],
        countries=["Korea", "United States"],
        interventions=[Intervention("placebo", "DRUG", field="interventions[0]")],
        condition_meshes=[NSCLC],
    ),
    _trial(
        "NCT00000003",
        conditions=["flu"],
        officials=[Official("Bob Roe", None, "Acme Inc", field="overallOfficials[0]")],
        locations=[Location("Research Site", "Seoul", country="Korea", zip="04000", field="locations[0]")],
        countries=["KOREA"],
    ),
]


def _node(
    node: str, name: str, trials: int, mentions: int | None, spellings: list[str], place: str = ""
) -> Listed:
    return Listed(node, name, place, trials, mentions, spellings)


FLU = _node("Condition:flu", "Flu", 2, 2, ["Flu", "flu"])
NSCLC_CONDITION = _node(
    "Condition:nonsmallcelllungcancer",
    "Non-Small Cell Lung Cancer",
    2,
    2,
    ["Non-Small Cell Lung Cancer", "Non Small Cell Lung Cancer"],
)
ACME = _node("Organization:acme", "Acme Inc.", 2, 3, ["Acme Inc.", "ACME", "Acme Inc"])
ANN_LEE = _node("Investigator:annlee", "Ann Lee", 2, 3, ["Dr. Ann Lee", "Ann Lee, MD", "ANN LEE"])
BOB_ROE = _node("Investigator:bobroe", "Bob Roe", 1, 1, ["Bob Roe"])
MAYO = _node(
    "Site:mayoclinic--rochester--unitedstates",
    "Mayo Clinic",
    2,
    3,
    ["Mayo Clinic", "Mayo Clinic."],
    "Rochester, United States",
)
SEOUL_03080 = _node(
    "Site:researchsite--seoul--korea--03080",
    "Research Site",
    2,
    2,
    ["Research Site", "RESEARCH SITE"],
    "Seoul, Korea, 03080",
)
SEOUL_04000 = _node(
    "Site:researchsite--seoul--korea--04000", "Research Site", 1, 1, ["Research Site"], "Seoul, Korea, 04000"
)
KOREA = _node("Country:korea", "Korea", 3, None, ["Korea", "KOREA"])
UNITED_STATES = _node("Country:unitedstates", "United States", 2, None, ["United States"])
PLACEBO = _node("Intervention:drug--placebo", "Placebo", 2, 2, ["Placebo", "placebo"])
NSCLC_TERM = _node(
    "MeshTerm:d002289", "Carcinoma, Non-Small-Cell Lung", 2, 2, ["Carcinoma, Non-Small-Cell Lung"]
)
LUNG_TERM = _node("MeshTerm:d008175", "Lung Neoplasms", 1, 1, ["Lung Neoplasms"])


def test_every_figure_of_records_whose_counts_are_known() -> None:
    # Conditions: 4 mentions (2, 1, 1) into 2 nodes, each merged and written two ways.
    # Organization: two lead sponsors and an affiliation; the affiliation is no trial of its own.
    # Investigators: Ann Lee is named by T1 twice (its own and a site's contact) and by T2.
    # Sites: Mayo Clinic is listed once by T1 and twice by T2; the contact there is not a listing.
    # Anonymised sites: Research Site, Seoul is one site with postal code 03080 (T1, T2), another
    # with 04000 (T3), and one without a postal code (T1), merged with nothing.
    # Countries: their edges keep no field; Korea is written "KOREA" by T3.
    assert audit(build_graph(list(RECORDS)), top=2) == Audit(
        trials=3,
        nodes=17,
        edges=32,
        top=2,
        kinds=[
            KindAudit("Condition", 2, 4, 2, 2, [FLU, NSCLC_CONDITION], [FLU, NSCLC_CONDITION]),
            KindAudit("Organization", 1, 3, 1, 1, [ACME], [ACME]),
            KindAudit("Investigator", 2, 4, 1, 1, [ANN_LEE], [ANN_LEE, BOB_ROE]),
            KindAudit("Site", 1, 3, 1, 1, [MAYO], [MAYO]),
            KindAudit("Country", 2, None, None, 1, [KOREA], [KOREA, UNITED_STATES]),
            KindAudit("Intervention", 1, 2, 1, 1, [PLACEBO], [PLACEBO]),
            KindAudit("MeshTerm", 2, 3, 1, 0, [], [NSCLC_TERM, LUNG_TERM]),
        ],
        anonymized_sites=AnonymizedSites(
            nodes=3,
            listings=4,
            with_postal_code=2,
            merged=1,
            without_postal_code=1,
            respelt=1,
            most_spellings=[SEOUL_03080],
            biggest_hubs=[SEOUL_03080, SEOUL_04000],  # a tie (1 trial, 1 listing) goes by id
        ),
    )


def test_top_bounds_the_lists_only() -> None:
    graph = build_graph(list(RECORDS))
    none = audit(graph, top=0)
    assert [(kind.most_spellings, kind.biggest_hubs) for kind in none.kinds] == [([], [])] * len(AUDITED)
    assert (none.anonymized_sites.most_spellings, none.anonymized_sites.biggest_hubs) == ([], [])
    everything = audit(graph, top=100)
    assert [(k.nodes, k.mentions, k.merged, k.respelt) for k in none.kinds] == [
        (k.nodes, k.mentions, k.merged, k.respelt) for k in everything.kinds
    ]
    with pytest.raises(ValueError, match=r"^top: -1 is not a count; expected 0 or more$"):
        audit(graph, top=-1)


def test_an_empty_graph_has_nothing_to_audit() -> None:
    found = audit(build_graph([]))
    assert (found.trials, found.nodes, found.edges) == (0, 0, 0)
    assert [(k.kind, k.nodes, k.mentions, k.merged, k.respelt, k.biggest_hubs) for k in found.kinds] == [
        (
            kind.value,
            0,
            None if kind is NodeKind.COUNTRY else 0,
            None if kind is NodeKind.COUNTRY else 0,
            0,
            [],
        )
        for kind in AUDITED
    ]
    assert found.anonymized_sites == AnonymizedSites(0, 0, 0, 0, 0, 0, [], [])


def test_a_field_of_many_lines_is_as_many_mentions_and_a_byte_of_10_is_no_line() -> None:
    # An edge's second line is looked for in its bytes first: one trial naming a condition three
    # times (one edge, a line per mention) counts three; an edge at position 10 holds a byte 10
    # in its position's bytes and still counts one.
    conditions = ["Flu", *(f"Condition {n}" for n in range(1, 11)), "flu", "FLU"]
    graph = build_graph([_trial("NCT00000001", conditions=conditions)])
    found = next(kind for kind in audit(graph, top=1).kinds if kind.kind == "Condition")
    assert (found.nodes, found.mentions, found.merged, found.respelt) == (11, 13, 1, 1)
    assert found.biggest_hubs == [_node("Condition:flu", "Flu", 1, 3, ["Flu", "flu", "FLU"])]
    assert graph.nodes["Condition:condition10"]["kind"] == "Condition"
    assert [(m.field, m.spelling) for m in mentions(graph, "Condition:flu")] == [
        ("conditions[0]", "Flu"),
        ("conditions[11]", "flu"),
        ("conditions[12]", "FLU"),
    ]


# -- the 880 registry records ----------------------------------------------------------------

# kind: nodes, mentions, merged (2+ mentions), respelt (2+ spellings)
STUDIES_FIGURES = {
    "Condition": (863, 1_623, 154, 9),
    "Organization": (1_092, 2_279, 413, 17),
    "Investigator": (2_771, 3_597, 591, 156),
    "Site": (7_563, 10_150, 1_402, 193),
    "Country": (93, None, None, 0),
    "Intervention": (1_274, 1_658, 128, 34),
    "MeshTerm": (687, 7_535, 360, 0),
}
# nodes, listings, with a postal code, merged, without a postal code, respelt
STUDIES_ANONYMIZED = (5_021, 7_300, 4_459, 1_121, 562, 0)
# The biggest hubs of each kind, with their trials.
STUDIES_HUBS = {
    "Condition": [
        ("Condition:erectiledysfunction", 241),
        ("Condition:nsclc", 52),
        ("Condition:clusterheadache", 43),
        ("Condition:prostatecancer", 32),
        ("Condition:degenerativediscdisease", 23),
    ],
    "Organization": [
        ("Organization:bayer", 32),
        ("Organization:astrazeneca", 31),
        ("Organization:elililly", 22),
        ("Organization:pfizersupjohnhasmergedwithmylantoformviatris", 18),
        ("Organization:nationalcancerinstitutenci", 16),
    ],
    "Site": [
        ("Site:asanmedicalcenter--seoul--korearepublicof", 16),
        ("Site:tatamemorialhospital--mumbai--india", 16),
        ("Site:danafarbercancerinstitute--boston--unitedstates", 14),
        ("Site:memorialsloanketteringcancercenter--newyork--unitedstates", 14),
        ("Site:nationaltaiwanuniversityhospital--taipei--taiwan", 14),
    ],
    "anonymised": [
        ("Site:researchsite--seoul--korearepublicof--03080", 14),
        ("Site:researchsite--seoul--korearepublicof--03722", 14),
        ("Site:researchsite--seoul--korearepublicof--06351", 13),
        ("Site:researchsite--kotoku--japan--1358550", 12),
        ("Site:researchsite--yokohamashi--japan--2418515", 12),
    ],
}


@pytest.fixture(scope="module")
def studies() -> TrialGraph:
    return load_graph([STUDIES])


@pytest.fixture(scope="module")
def studies_records() -> list[TrialRecord]:
    return load_records([STUDIES]).records


@pytest.fixture(scope="module")
def studies_audit(studies: TrialGraph) -> Audit:
    return audit(studies.graph, top=5)


def test_the_registry_records_figures_are_pinned(studies_audit: Audit) -> None:
    found = studies_audit
    assert (found.trials, found.nodes, found.edges) == (880, 21_759, 56_509)
    assert {k.kind: (k.nodes, k.mentions, k.merged, k.respelt) for k in found.kinds} == STUDIES_FIGURES
    sites = found.anonymized_sites
    assert (
        sites.nodes,
        sites.listings,
        sites.with_postal_code,
        sites.merged,
        sites.without_postal_code,
        sites.respelt,
    ) == STUDIES_ANONYMIZED
    hubs = {k.kind: [(n.id, n.trials) for n in k.biggest_hubs] for k in found.kinds}
    hubs["anonymised"] = [(n.id, n.trials) for n in sites.biggest_hubs]
    assert {kind: hubs[kind] for kind in STUDIES_HUBS} == STUDIES_HUBS


def _figures_node_by_node(graph: CompactGraph) -> dict[str, list[int]]:
    """Per kind (anonymised sites apart): nodes, mentions, merged, respelt, counted from the
    networkx views one node at a time."""
    figures: dict[str, list[int]] = {}
    for node, data in graph.nodes(data=True):
        kind = kind_of(node)
        if kind not in AUDITED:
            continue
        group = _group(graph, node)
        naming = {relation.value for relation in NAMING.get(kind, ())}
        lines = sum(
            len(str(edge["field"]).split(LIST_SEPARATOR))
            for _, _, edge in graph.in_edges(node, data=True)
            if edge["kind"] in naming
        )
        counts = figures.setdefault(group, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += lines
        counts[2] += lines >= 2
        counts[3] += len(listed(data, "spellings")) >= 2
    return figures


def test_the_figures_are_those_counted_node_by_node(studies: TrialGraph, studies_audit: Audit) -> None:
    by_node = _figures_node_by_node(studies.graph)
    found = {k.kind: [k.nodes, k.mentions or 0, k.merged or 0, k.respelt] for k in studies_audit.kinds}
    sites = studies_audit.anonymized_sites
    found["anonymised"] = [sites.nodes, sites.listings, sites.merged, sites.respelt]
    assert found == by_node
    nodes = counts_by_kind(studies.graph.store)[0]
    assert {kind.value: nodes[kind.value] for kind in AUDITED} == {
        kind.kind: kind.nodes + (sites.nodes if kind.kind == "Site" else 0) for kind in studies_audit.kinds
    }


def test_the_mentions_are_what_the_records_list(
    studies_audit: Audit, studies_records: list[TrialRecord]
) -> None:
    records = studies_records
    listings = [location for record in records for location in record.locations]
    anonymized = [site for site in listings if site.facility and is_anonymized(site.facility)]
    found = {kind.kind: kind.mentions for kind in studies_audit.kinds}
    sites = studies_audit.anonymized_sites
    assert (found["Site"], sites.listings) == (len(listings) - len(anonymized), len(anonymized))
    # A listing without a postal code is a site of its own.
    assert sites.without_postal_code == sum(not lookup_key(site.zip or "") for site in anonymized)
    assert found["Condition"] == sum(len(record.conditions) for record in records)
    assert found["Intervention"] == sum(len(record.interventions) for record in records)
    assert found["MeshTerm"] == sum(len(r.condition_meshes) + len(r.condition_ancestors) for r in records)


def _group(graph: CompactGraph, node: str) -> str:
    return "anonymised" if graph.nodes[node].get("anonymized") else kind_of(node).value


def test_each_list_holds_the_nodes_that_come_first_node_by_node(
    studies: TrialGraph, studies_audit: Audit
) -> None:
    graph = studies.graph
    trials: Counter[str] = Counter()
    spelt: dict[str, list[str]] = {}
    named: dict[str, int] = {}
    for node, data in graph.nodes(data=True):
        kind = kind_of(node)
        if kind not in AUDITED:
            continue
        trials[node] = len({source for source, _ in graph.in_edges(node) if source.startswith("Trial:")})
        spelt[node] = listed(data, "spellings")
        named[node] = len(mentions(graph, node, NAMING.get(kind, ())))
    sites = studies_audit.anonymized_sites
    for group, most_spellings, biggest_hubs in [
        *((kind.kind, kind.most_spellings, kind.biggest_hubs) for kind in studies_audit.kinds),
        ("anonymised", sites.most_spellings, sites.biggest_hubs),
    ]:
        members = [node for node in spelt if _group(graph, node) == group]
        hubs = sorted((n for n in members if trials[n]), key=lambda n: (-trials[n], -named[n], n))[:5]
        assert [node.id for node in biggest_hubs] == hubs, group
        respelt = [n for n in members if len(spelt[n]) >= 2]
        most = sorted(respelt, key=lambda n: (-len(spelt[n]), -named[n], -trials[n], n))[:5]
        assert [node.id for node in most_spellings] == most, group
        for node in [*most_spellings, *biggest_hubs]:
            mentioned = None if group == "Country" else named[node.id]
            assert (node.trials, node.mentions, node.spellings) == (
                trials[node.id],
                mentioned,
                spelt[node.id],
            )
