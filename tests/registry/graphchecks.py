"""The graph operations of the contract on the registry records: Refetch (``node(id)`` gives the
same node), Neighborhood (the kinds and counts of a trial's neighbours) and HowConnected (two
trials sharing a condition are two edges apart)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tests.registry import expected
from tests.registry.checks import Mismatch, Tolerated, compare, shown, trial_card_answers
from tests.registry.product import Product


def _id_of(data: Any, *path: str) -> str | None:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data if isinstance(data, str) else None


def check_refetch(loaded: Product, tolerated: list[Tolerated]) -> list[Mismatch]:
    """node(id) for each trial's id, and for the nodes the look-ups found, is the same node."""
    found = []
    for nct_id, card in trial_card_answers(loaded).items():
        node_id = _id_of(card.data, "trial", "id")
        if node_id is None:
            found.append(Mismatch("Refetch", nct_id, "TrialCard.trial.id", "an id", "none"))
            continue
        answer = loaded.ask("Refetch", id=node_id)
        found += compare("Refetch", nct_id, {"node": {"__typename": "Trial", "nctId": nct_id}}, answer)
        if _id_of(answer.data, "node", "id") != node_id:
            found.append(
                Mismatch(
                    "Refetch", nct_id, "Refetch.node.id", node_id, shown(_id_of(answer.data, "node", "id"))
                )
            )
    samples = [
        ("ConditionTrials", "condition", "Condition", expected.condition_trials(loaded.form)[::25]),
        (
            "OrganizationTrials",
            "organization",
            "Organization",
            expected.organization_trials(loaded.form)[::10],
        ),
        (
            "InvestigatorTrials",
            "investigator",
            "Investigator",
            expected.investigator_trials(loaded.form)[::10],
        ),
    ]
    for operation, field, typename, cases in samples:
        for case in cases:
            node_id = _id_of(loaded.ask(operation, name=case.name).data, field, "id")
            if node_id is None:
                continue  # the look-up's own check reports it
            answer = loaded.ask("Refetch", id=node_id)
            node = answer.data.get("node") if isinstance(answer.data, dict) else None
            if not isinstance(node, dict) or node.get("id") != node_id or node.get("__typename") != typename:
                found.append(
                    Mismatch("Refetch", case.name, "Refetch.node", f"{typename} {node_id}", shown(node))
                )
    return found


def neighbourhood_sample(loaded: Product) -> list[str]:
    """Every 15th trial, and the trials with the most sites and people."""
    records = expected.world(loaded.form).records
    busiest = sorted(records, key=lambda record: (-len(record.locations), record.nct_id))[:3]
    return sorted({record.nct_id for record in records[::15]} | {record.nct_id for record in busiest})


def check_neighbourhoods(loaded: Product, tolerated: list[Tolerated]) -> list[Mismatch]:
    found = []
    cards = trial_card_answers(loaded)
    for nct_id in neighbourhood_sample(loaded):
        node_id = _id_of(cards[nct_id].data, "trial", "id")
        if node_id is None:
            continue  # Refetch reports it
        answer = loaded.ask("Neighborhood", id=node_id, hops=1)
        if answer.errors or not isinstance(answer.data, dict) or not answer.data.get("neighborhood"):
            found.append(
                Mismatch(
                    "Neighborhood", nct_id, "Neighborhood", "an answer", shown(answer.errors or answer.data)
                )
            )
            continue
        nodes = answer.data["neighborhood"]["nodes"]
        counts: dict[str, int] = defaultdict(int)
        for node in nodes:
            counts[node["kind"]] += 1
        want = expected.neighbourhood_counts(loaded.form, nct_id)
        for kind in sorted(set(want) | set(counts)):
            if want.get(kind, 0) != counts.get(kind, 0):
                found.append(
                    Mismatch(
                        "Neighborhood",
                        nct_id,
                        f"Neighborhood.nodes[kind={kind}]",
                        str(want.get(kind, 0)),
                        str(counts.get(kind, 0)),
                    )
                )
        ids = {node["id"] for node in nodes}
        if node_id not in ids:
            found.append(
                Mismatch(
                    "Neighborhood", nct_id, "Neighborhood.nodes", f"the trial {node_id}", "not among them"
                )
            )
        loose = [
            edge
            for edge in answer.data["neighborhood"]["edges"]
            if edge["source"] not in ids or edge["target"] not in ids
        ]
        if loose:
            found.append(
                Mismatch(
                    "Neighborhood",
                    nct_id,
                    "Neighborhood.edges",
                    "edges among the nodes",
                    f"{len(loose)} reaching out: {shown(loose[:2])}",
                )
            )
    return found


def connected_pairs(loaded: Product) -> list[tuple[str, str, str]]:
    """(condition, trial, trial): the first two trials of each condition that has two, every
    5th such condition."""
    entities = expected.world(loaded.form)
    trials_of: dict[str, list[str]] = defaultdict(list)
    for nct_id, links in entities.trials.items():
        for condition in links.conditions:
            trials_of[condition].append(nct_id)
    pairs = [
        (condition, nct_ids[0], nct_ids[1]) for condition, nct_ids in trials_of.items() if len(nct_ids) > 1
    ]
    return pairs[::5]


def check_how_connected(loaded: Product, tolerated: list[Tolerated]) -> list[Mismatch]:
    found = []
    cards = trial_card_answers(loaded)
    for condition, first, second in connected_pairs(loaded):
        ends = _id_of(cards[first].data, "trial", "id"), _id_of(cards[second].data, "trial", "id")
        if None in ends:
            continue
        answer = loaded.ask("HowConnected", **{"from": ends[0], "to": ends[1]})
        path = answer.data.get("shortestPath") if isinstance(answer.data, dict) else None
        case = f"{first}-{second} ({condition})"
        if answer.errors or not isinstance(path, dict):
            found.append(
                Mismatch(
                    "HowConnected",
                    case,
                    "HowConnected.shortestPath",
                    "a path of length 2",
                    shown(answer.errors or path),
                )
            )
            continue
        if path["length"] != 2:
            found.append(
                Mismatch("HowConnected", case, "HowConnected.shortestPath.length", "2", shown(path["length"]))
            )
        ids = [node["id"] for node in path["nodes"]]
        if ids[:1] != [ends[0]] or ids[-1:] != [ends[1]] or len(path["edges"]) != path["length"]:
            found.append(
                Mismatch(
                    "HowConnected",
                    case,
                    "HowConnected.shortestPath.nodes",
                    f"from {ends[0]} to {ends[1]}",
                    shown(ids),
                )
            )
    return found
