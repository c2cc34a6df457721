"""A registry study as the graph reads it, in typed structs that ``msgspec`` decodes JSON into,
checking every type in compiled code: the fields :mod:`graph.read.registry.study` reads, and no
other (the rest of a study is skipped unread).

:func:`decode_study` is the quick way in for a document holding one study, and
:func:`decode_studies` for a search page or a list of studies. They give ``None`` whenever the
JSON is not of these shapes (a wrong type anywhere, a lone surrogate, invalid JSON, for a page
in any of its studies): such a document is read the general way, which says what is wrong and
where. Every field may be absent or null, as in :mod:`graph.read.registry.study`.
"""

from __future__ import annotations

import msgspec


class _Shape(msgspec.Struct, rename="camel", gc=False):
    """A JSON object of the study; keys are the camel-case of the attribute names."""


class Organization(_Shape):
    full_name: str | None = None
    agency_class: str | None = msgspec.field(default=None, name="class")


class OrgStudyId(_Shape):
    id: str | None = None
    type: str | None = None
    link: str | None = None


class SecondaryId(_Shape):
    id: str | None = None
    type: str | None = None
    domain: str | None = None
    link: str | None = None


class Identification(_Shape):
    nct_id: str | None = None
    brief_title: str | None = None
    official_title: str | None = None
    acronym: str | None = None
    organization: Organization | None = None
    org_study_id_info: OrgStudyId | None = None
    secondary_id_infos: list[SecondaryId] | None = None


class DateStruct(_Shape):
    date: str | None = None
    type: str | None = None


class PostDate(_Shape):
    date: str | None = None


class Status(_Shape):
    overall_status: str | None = None
    last_known_status: str | None = None
    why_stopped: str | None = None
    status_verified_date: str | None = None
    start_date_struct: DateStruct | None = None
    primary_completion_date_struct: DateStruct | None = None
    completion_date_struct: DateStruct | None = None
    study_first_submit_date: str | None = None
    study_first_post_date_struct: PostDate | None = None
    last_update_post_date_struct: PostDate | None = None


class Sponsor(_Shape):
    name: str | None = None
    agency_class: str | None = msgspec.field(default=None, name="class")


class ResponsibleParty(_Shape):
    type: str | None = None
    investigator_full_name: str | None = None
    investigator_title: str | None = None
    investigator_affiliation: str | None = None


class Sponsors(_Shape):
    lead_sponsor: Sponsor | None = None
    collaborators: list[Sponsor] | None = None
    responsible_party: ResponsibleParty | None = None


class Description(_Shape):
    brief_summary: str | None = None
    detailed_description: str | None = None


class Conditions(_Shape):
    conditions: list[str] | None = None
    keywords: list[str] | None = None


class Enrollment(_Shape):
    count: int | None = None
    type: str | None = None


class Masking(_Shape):
    masking: str | None = None
    masking_description: str | None = None
    who_masked: list[str] | None = None


class DesignInfo(_Shape):
    allocation: str | None = None
    intervention_model: str | None = None
    intervention_model_description: str | None = None
    primary_purpose: str | None = None
    observational_model: str | None = None
    time_perspective: str | None = None
    masking_info: Masking | None = None


class Design(_Shape):
    study_type: str | None = None
    phases: list[str] | None = None
    enrollment_info: Enrollment | None = None
    design_info: DesignInfo | None = None


class ArmGroup(_Shape):
    label: str | None = None
    type: str | None = None
    description: str | None = None
    intervention_names: list[str] | None = None


class Intervention(_Shape):
    name: str | None = None
    type: str | None = None
    description: str | None = None
    other_names: list[str] | None = None
    arm_group_labels: list[str] | None = None


class Arms(_Shape):
    arm_groups: list[ArmGroup] | None = None
    interventions: list[Intervention] | None = None


class Eligibility(_Shape):
    eligibility_criteria: str | None = None
    minimum_age: str | None = None
    maximum_age: str | None = None
    sex: str | None = None
    healthy_volunteers: bool | None = None
    std_ages: list[str] | None = None
    study_population: str | None = None
    sampling_method: str | None = None


class Official(_Shape):
    name: str | None = None
    role: str | None = None
    affiliation: str | None = None


class GeoPoint(_Shape):
    lat: float | None = None
    lon: float | None = None


class Contact(_Shape):
    name: str | None = None
    role: str | None = None


class Location(_Shape):
    facility: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    zip: str | None = None
    status: str | None = None
    geo_point: GeoPoint | None = None
    contacts: list[Contact] | None = None


class ContactsLocations(_Shape):
    overall_officials: list[Official] | None = None
    locations: list[Location] | None = None


class Protocol(_Shape):
    identification_module: Identification | None = None
    status_module: Status | None = None
    sponsor_collaborators_module: Sponsors | None = None
    description_module: Description | None = None
    conditions_module: Conditions | None = None
    design_module: Design | None = None
    arms_interventions_module: Arms | None = None
    eligibility_module: Eligibility | None = None
    contacts_locations_module: ContactsLocations | None = None


class MeshTerm(_Shape):
    id: str | None = None
    term: str | None = None


class BrowseLeaf(_Shape):
    name: str | None = None
    as_found: str | None = None


class ConditionBrowse(_Shape):
    meshes: list[MeshTerm] | None = None
    ancestors: list[MeshTerm] | None = None
    browse_leaves: list[BrowseLeaf] | None = None


class Derived(_Shape):
    condition_browse_module: ConditionBrowse | None = None


class Study(_Shape):
    protocol_section: Protocol | None = None
    has_results: bool | None = None
    derived_section: Derived | None = None


class _Holder(msgspec.Struct):
    """A JSON object as far as telling a search page from a study: a page has ``studies`` and no
    ``protocolSection`` (both left unread here)."""

    studies: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET
    protocolSection: msgspec.Raw | msgspec.UnsetType = msgspec.UNSET


_DECODER = msgspec.json.Decoder(Study)
_HOLDER = msgspec.json.Decoder(_Holder | list[msgspec.Raw])
_LIST = msgspec.json.Decoder(list[msgspec.Raw])


def decode_study(text: str | bytes) -> Study | None:
    """The study JSON ``text`` holds, typed; ``None`` if it holds anything else, or a study with
    a value of the wrong type (read the general way, which reports it).

    >>> decode_study('{"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}')
    ... # doctest: +ELLIPSIS
    Study(protocol_section=Protocol(identification_module=Identification(nct_id='NCT00000001', ...
    >>> decode_study('{"protocolSection": {"conditionsModule": {"conditions": "flu"}}}') is None
    True
    >>> decode_study('{"studies": []}'), decode_study('[1]'), decode_study('{"a": "\\\\ud800"}')
    (None, None, None)
    >>> decode_study('{"protocolSection": {}, "a": ' + '[' * 5000 + ']' * 5000 + '}') is None
    True
    """
    try:
        study = _DECODER.decode(text)
    except (msgspec.MsgspecError, RecursionError):
        # Not JSON (DecodeError), not of these shapes (ValidationError), or past the decoder's
        # limits (nested too deep, anywhere, even where it skips): the general way says which.
        return None
    return study if study.protocol_section is not None else None


def decode_studies(text: str | bytes) -> tuple[str, list[tuple[Study, str]]] | None:
    """The studies of a search page ``{"studies": [...]}`` or of a list, where that list is
    (``$.studies`` or ``$``), and each study typed with its own JSON text; ``None`` unless it
    holds a study at least and :func:`decode_study` takes every one.

    >>> at, [(study, text)] = decode_studies('{"studies": [{"protocolSection": {}}], "totalCount": 1}')
    >>> at, text, study.protocol_section is not None
    ('$.studies', '{"protocolSection": {}}', True)
    >>> decode_studies('[{"protocolSection": {}}]')[0], decode_studies('[{"protocolSection": 1}]')
    ('$', None)
    >>> decode_studies('{"studies": [], "protocolSection": {}}'), decode_studies('{"studies": []}')
    (None, None)
    """
    try:
        found = _HOLDER.decode(text)
        if isinstance(found, list):
            at, raws = "$", found
        elif found.protocolSection is msgspec.UNSET and found.studies is not msgspec.UNSET:
            at, raws = "$.studies", _LIST.decode(found.studies)
        else:
            return None
    except (msgspec.MsgspecError, RecursionError):
        return None
    studies = []
    for raw in raws:
        study_text = bytes(raw).decode("utf-8")
        study = decode_study(study_text)
        if study is None:
            return None
        studies.append((study, study_text))
    return (at, studies) if studies else None
