"""Node ids of the entities a trial lists that take more than a name to tell apart: its sites
(anonymised ones on their postal code) and its interventions (two of one trial never one node)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from graph.build.anonymized import is_anonymized
from graph.keys import lookup_key, node_id, organization_key
from graph.model import Intervention, Location, NodeKind, TrialRecord

# Kinds whose node id is made of the name key (graph.compact.index.NAME_KEYS) every spelling of
# the entity has; a site's id starts with its facility's. An id holds its key slugged
# (graph.keys.slug): only a key of ASCII letters and digits is seen whole.
_KEYED_BY_NAME = frozenset(
    kind.value
    for kind in (NodeKind.CONDITION, NodeKind.ORGANIZATION, NodeKind.INVESTIGATOR, NodeKind.COUNTRY)
)
_PLAIN_KEY = re.compile(r"[a-z0-9]+")


def site_id(location: Location, nct: str, position: int) -> tuple[str, tuple[str, str] | None]:
    """The node id of a trial's listing of a site, and the facility and city keys that place a
    named facility (``None`` for a site that merges with no other by name).

    A site is keyed on facility, city and country; an anonymised facility name
    (:mod:`graph.build.anonymized`) on its postal code too; a listing without a facility name, or with
    an anonymised one and no postal code, on its trial and position: it is merged with nothing.

    >>> site_id(Location("Research Site", "Seoul", country="Korea", zip="03080"), "nct1", 0)
    ('Site:researchsite--seoul--korea--03080', None)
    >>> site_id(Location("Research Site", "Seoul", country="Korea"), "nct1", 4)[0]
    'Site:researchsite-nct1-4--seoul--korea'
    """
    facility = location.facility
    where = (lookup_key(location.city), lookup_key(location.country))
    if facility and not is_anonymized(facility):
        place = (organization_key(facility), where[0])
        return node_id(NodeKind.SITE, *place, where[1]), place
    postal = lookup_key(location.zip or "")
    if facility and postal:
        return node_id(NodeKind.SITE, organization_key(facility), *where, postal), None
    return node_id(
        NodeKind.SITE, f"{organization_key(facility or '') or 'unnamed'} {nct} {position}", *where
    ), None


def intervention_ids(record: TrialRecord) -> list[str]:
    """Node ids of a trial's interventions; two of one trial are never one node.

    Interventions of one trial with the same type and name are told apart by the key of their
    description (so the same described one in another trial is the same node), or, where another
    of them has a description of the same key (``Medication history`` described twice, once
    without the final full stop) or none, by the trial and their position.
    """
    keys = [_intervention_key(intervention) for intervention in record.interventions]
    repeated = {key for key, count in Counter(keys).items() if count > 1}
    # Digests of the description keys, for the repeated only (a key of every description would
    # fill the key cache at registry scale); a collision counts as the same key.
    digests = [
        hashlib.blake2b(lookup_key(intervention.description).encode(), digest_size=4).hexdigest()
        if key in repeated and intervention.description and lookup_key(intervention.description)
        else ""
        for key, intervention in zip(keys, record.interventions, strict=True)
    ]
    ids = []
    for position, (key, digest) in enumerate(zip(keys, digests, strict=True)):
        if key in repeated:
            alike = [other for other, other_key in zip(digests, keys, strict=True) if other_key == key]
            key = (
                (*key, f"v{digest}")
                if digest and alike.count(digest) == 1
                else (*key, f"{record.nct_id.lower()} {position}")
            )
        ids.append(node_id(NodeKind.INTERVENTION, *key))
    return ids


def arm_ids(record: TrialRecord) -> list[str]:
    """Node ids of a trial's arms: an arm belongs to its trial, keyed on its label; two arms
    whose labels have one key are told apart by their position.

    >>> from graph.model import Arm, Source
    >>> record = TrialRecord("NCT01", Source("a.json"), arms=[Arm("A"), Arm("B"), Arm("a")])
    >>> arm_ids(record)
    ['Arm:nct01--a', 'Arm:nct01--b', 'Arm:nct01--a--2']
    """
    nct, ids = record.nct_id.lower(), []
    for position, arm in enumerate(record.arms):
        node = node_id(NodeKind.ARM, nct, lookup_key(arm.label))
        if node in ids:
            node = node_id(NodeKind.ARM, nct, lookup_key(arm.label), str(position))
        ids.append(node)
    return ids


def _intervention_key(intervention: Intervention) -> tuple[str, ...]:
    name = lookup_key(intervention.name)
    return (intervention.type.lower(), name) if intervention.type else (name,)


def name_key_of(node: str) -> str | None:
    """The name key every spelling of an entity has, where its node id shows it whole: a
    condition's, organization's, investigator's or country's id is made of it, a named site's
    starts with its facility's. ``None`` where the id does not tell.

    >>> name_key_of("Organization:acme"), name_key_of("Site:xuanwuhospital--beijing--china")
    ('acme', 'xuanwuhospital')
    >>> name_key_of("Site:researchsite-nct1-4--seoul--korea"), name_key_of("Condition:hospital_869861a8")
    (None, None)
    >>> name_key_of("Intervention:drug--aspirin"), name_key_of("Condition:")
    (None, None)
    """
    kind, _, rest = node.partition(":")
    if kind == NodeKind.SITE.value:
        rest = rest.partition("--")[0]
    elif kind not in _KEYED_BY_NAME:
        return None
    return rest if _PLAIN_KEY.fullmatch(rest) else None
