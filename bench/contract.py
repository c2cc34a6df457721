"""The documents the benchmark sends: the contract's operations verbatim, and a large answer.

Each contract file is sent whole with an ``operationName``, as a frontend would send it.
"""

from __future__ import annotations

from pathlib import Path

from graphql import OperationDefinitionNode, parse

CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract"
OPERATIONS = (
    "TrialCard",
    "Refetch",
    "FindTrials",
    "ConditionTrials",
    "OrganizationTrials",
    "InvestigatorTrials",
    "Neighborhood",
    "HowConnected",
)
# Requests per 100 of the mix: cards and lists most, graph-shaped questions least.
MIX_WEIGHTS = {
    "TrialCard": 30,
    "Refetch": 10,
    "FindTrials": 20,
    "ConditionTrials": 10,
    "OrganizationTrials": 10,
    "InvestigatorTrials": 8,
    "Neighborhood": 8,
    "HowConnected": 4,
}
# The 10,000-object answer: 100 trials with 100 sites each.
BIG_OPERATION = "ManySites"
BIG_DOCUMENT = (
    "query ManySites($ids: [ID!]!) { nodes(ids: $ids) { ... on Trial { nctId "
    "sites(first: 100) { edges { status node { name city country } } } } } }"
)


def contract_documents(folder: Path = CONTRACT) -> dict[str, str]:
    """Each operation's name and the text of the file that holds it."""
    documents: dict[str, str] = {}
    for path in sorted(folder.glob("*.graphql")):
        text = path.read_text()
        for definition in parse(text).definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                documents[definition.name.value] = text
    missing = sorted(set(OPERATIONS) - set(documents))
    if missing:
        raise ValueError(f"{folder}: the contract lacks {', '.join(missing)}")
    return documents
