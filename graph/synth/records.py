"""One study record, as ``GET /api/v2/studies/{nctId}`` returns it (``STRUCTURE.md``).

Study ``index`` of a corpus is made from its own :class:`random.Random`, seeded with the corpus
seed and the index, and from the shared universes of :mod:`graph.synth.entities`. Its NCT
number grows with the index over the registry's whole range, and the number decides when the
study was registered, hence how old-fashioned its record is (partial dates, dates without
type, missing modules) and how likely it is to be finished.
"""

from __future__ import annotations

import random
from typing import Any

from graph.synth import arms, sites, texts, timeline
from graph.synth.distributions import SiteCounts, Weighted, between, pick, some
from graph.synth.eligibility import eligibility_module
from graph.synth.entities import Facility, Organization, World
from graph.synth.names import respell_organization
from graph.synth.spec import NCT_SPAN, CorpusSpec

_STUDY_TYPES = Weighted(["INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS"], [77, 22, 1])
_PHASES = Weighted(
    [["NA"], ["EARLY_PHASE1"], ["PHASE1"], ["PHASE1", "PHASE2"], ["PHASE2"], ["PHASE2", "PHASE3"],
     ["PHASE3"], ["PHASE4"], []],
    [30, 2, 14, 4, 20, 2, 13, 12, 3],
)  # fmt: skip
_LEADS = {  # kind of lead sponsor by study type
    "INTERVENTIONAL": Weighted(["institution", "company", "agency", "individual"], [55, 38, 6, 1]),
    "OBSERVATIONAL": Weighted(["institution", "company", "agency", "individual"], [80, 15, 4, 1]),
    "EXPANDED_ACCESS": Weighted(["institution", "company", "agency", "individual"], [18, 80, 1, 1]),
    "LARGE": Weighted(["institution", "company", "agency"], [10, 75, 15]),  # more than 50 sites
}
_COLLABORATOR_COUNTS = Weighted([0, 1, 2, 3, 4, 6, 9, 15], [68, 20, 7, 2.5, 1, 1, 0.3, 0.2])
_CONDITION_COUNTS = Weighted([1, 2, 3, 4, 5, 8], [58, 24, 9, 5, 3, 1])
_KEYWORDS = (
    "quality of life", "biomarker", "randomized", "pharmacokinetics", "children", "elderly",
    "telemedicine", "immunotherapy", "prevention", "inflammation", "adherence", "rehabilitation",
    "imaging", "real-world data",
)  # fmt: skip
_ENROLLED = frozenset({"COMPLETED", "TERMINATED", "WITHDRAWN", "ACTIVE_NOT_RECRUITING", "UNKNOWN"})
_TITLES = ("Professor", "Principal Investigator", "Assistant Professor", "Chief of Cardiology", "MD")


class StudyMaker:
    """Makes the studies of one corpus, each from its index alone."""

    def __init__(self, spec: CorpusSpec) -> None:
        self.spec = spec
        self.world = World(spec.seed)
        self.site_counts = SiteCounts(spec.sites_per_trial)
        self.stride = NCT_SPAN / spec.trials

    def study(self, index: int) -> dict[str, Any]:
        rng = random.Random(f"{self.spec.seed}|study|{index}")
        low, high = int(index * self.stride), int((index + 1) * self.stride)
        number = low + between(rng, 0, max(1, high - low))
        return _Study(self, 100 + number, rng).record()


class _Study:
    """The decisions of one study, made in a fixed order so that its bytes depend on the seed only."""

    def __init__(self, maker: StudyMaker, number: int, rng: random.Random) -> None:
        self.world, self.rng = maker.world, rng
        self.nct_id = f"NCT{number:08d}"
        self.registered = timeline.registered(number) + rng.random() * 0.02
        self.old = self.registered < 2008
        self.study_type = _STUDY_TYPES(rng)
        self.site_count = maker.site_counts(rng)
        if self.study_type == "EXPANDED_ACCESS":
            self.site_count = min(self.site_count, 5)
        self.status = timeline.status(self.registered, self.study_type, rng)
        if self.status == "WITHDRAWN" and rng.random() < 0.7:
            self.site_count = 0

    # -- the record, module by module ---------------------------------------------------------

    def record(self) -> dict[str, Any]:
        rng = self.rng
        lead, lead_facility = self._lead()
        lead_written = self._spell(lead, 0.08)
        conditions = self._conditions()
        condition = conditions[0][0]
        design, arms_module, given = self._design(condition)
        drug = given[0].name if given else "usual care"
        comparator = "placebo" if any(item.name == "Placebo" for item in given) else "standard care"
        brief = texts.title(self.study_type, condition, drug, comparator, rng)
        protocol: dict[str, Any] = {
            "identificationModule": self._identification(lead, lead_written, brief, design),
            "statusModule": timeline.status_module(self.registered, self.status, self.study_type, rng),
            "sponsorCollaboratorsModule": self._sponsors(lead, lead_facility, lead_written),
        }
        if rng.random() < (0.4 if self.old else 0.88):
            protocol["oversightModule"] = self._oversight()
        described = {"briefSummary": texts.summary(self.study_type, condition, drug, comparator, rng)}
        if rng.random() < 0.45:
            described["detailedDescription"] = texts.description(condition, drug, rng)
        protocol["descriptionModule"] = described
        protocol["conditionsModule"] = self._conditions_module(conditions, given)
        protocol["designModule"] = design
        if arms_module:
            protocol["armsInterventionsModule"] = arms_module
        if rng.random() < (0.75 if self.study_type == "OBSERVATIONAL" else 0.95):
            protocol["outcomesModule"] = texts.outcomes(rng)
        if rng.random() < 0.99:
            observational = self.study_type == "OBSERVATIONAL"
            phases = design.get("phases", [])
            protocol["eligibilityModule"] = eligibility_module(conditions, drug, phases, observational, rng)
        people = self._contacts_locations(lead, lead_facility, lead_written)
        if people:
            protocol["contactsLocationsModule"] = people
        if rng.random() < 0.25:
            protocol["referencesModule"] = self._references(condition)
        if self.registered > 2015 and rng.random() < 0.6:
            protocol["ipdSharingStatementModule"] = self._ipd_sharing()
        return {"protocolSection": protocol, "hasResults": self._has_results(design)}

    def _lead(self) -> tuple[Organization, Facility | None]:
        rng, world = self.rng, self.world
        kind = _LEADS["LARGE" if self.site_count > 50 else self.study_type](rng)
        if kind == "institution":
            facility = world.institution(world.sponsor_countries(rng), rng)
            return world.as_organization(facility), facility
        if kind == "company":
            return world.some_company(rng), None
        if kind == "agency":
            return world.agency(rng), None
        person = world.staff(f"individual:{self.nct_id}", "en", rng)
        country = world.sponsor_countries(rng)
        return Organization(f"individual:{self.nct_id}", person.name, "", "en", "INDIV", country), None

    def _spell(self, organization: Organization, variation: float) -> str:
        if self.rng.random() >= variation:
            return organization.name
        return respell_organization(organization.base, organization.form, organization.style, self.rng)

    def _identification(
        self, lead: Organization, lead_written: str, brief: str, design: dict[str, Any]
    ) -> dict[str, Any]:
        rng = self.rng
        year = int(self.registered)
        module: dict[str, Any] = {"nctId": self.nct_id}
        module["orgStudyIdInfo"] = {"id": f"{lead.base[:3].upper()}-{year}-{between(rng, 1, 999):03d}"}
        if rng.random() < 0.2:
            module["secondaryIdInfos"] = [self._secondary_id(year)]
        organization_name = lead_written if rng.random() < 0.9 else self._spell(lead, 1.0)
        module["organization"] = {"fullName": organization_name, "class": lead.agency_class}
        module["briefTitle"] = brief
        phases = design.get("phases", [])
        module["officialTitle"] = texts.official_title(
            self.study_type, phases, design.get("designInfo", {}), brief, self.site_count, rng
        )
        if rng.random() < 0.12:
            module["acronym"] = "".join(chr(65 + between(rng, 0, 26)) for _ in range(between(rng, 3, 7)))
        return module

    def _secondary_id(self, year: int) -> dict[str, Any]:
        rng = self.rng
        kind = rng.random()
        if kind < 0.4:
            return {
                "id": f"{year}-{between(rng, 0, 999999):06d}-{between(rng, 10, 99)}",
                "type": "EUDRACT_NUMBER",
            }
        if kind < 0.7:
            grant = f"R01{pick(rng, ('CA', 'HL', 'AI', 'MH', 'DK'))}{between(rng, 10000, 999999)}"
            return {"id": grant, "type": "NIH", "link": f"https://reporter.nih.gov/quickSearch/{grant}"}
        return {"id": f"{between(rng, 1000, 99999)}", "type": "OTHER", "domain": "Ethics committee"}

    def _sponsors(
        self, lead: Organization, lead_facility: Facility | None, lead_written: str
    ) -> dict[str, Any]:
        rng, world = self.rng, self.world
        party = rng.choices(("SPONSOR", "PRINCIPAL_INVESTIGATOR", "SPONSOR_INVESTIGATOR"), (55, 35, 10))[0]
        if lead.agency_class != "OTHER" or lead_facility is None:
            party = "SPONSOR"
        responsible: dict[str, Any] = {"type": party}
        if party != "SPONSOR" and lead_facility is not None and rng.random() < 0.95:
            person = world.staff(lead_facility.ident, lead_facility.country.language, rng)
            responsible["investigatorFullName"] = person.name
            responsible["investigatorTitle"] = pick(rng, _TITLES)
            responsible["investigatorAffiliation"] = self._spell(lead, 0.35)
        module: dict[str, Any] = {
            "responsibleParty": responsible,
            "leadSponsor": {"name": lead_written, "class": lead.agency_class},
        }
        collaborators: list[dict[str, Any]] = []
        taken = {lead.ident}
        for _ in range(_COLLABORATOR_COUNTS(rng)):
            chosen = rng.random()
            if chosen < 0.3:
                partner = world.agency(rng)
            elif chosen < 0.7:
                partner = world.as_organization(world.institution(world.sponsor_countries(rng), rng))
            else:
                partner = world.some_company(rng)
            if partner.ident not in taken:
                taken.add(partner.ident)
                collaborators.append({"name": self._spell(partner, 0.3), "class": partner.agency_class})
        if collaborators:
            module["collaborators"] = collaborators
        return module

    def _oversight(self) -> dict[str, Any]:
        rng = self.rng
        module = {"oversightHasDmc": rng.random() < 0.35}
        if self.registered >= 2017:
            module["isFdaRegulatedDrug"] = rng.random() < 0.3
            module["isFdaRegulatedDevice"] = rng.random() < 0.08
        return module

    def _conditions(self) -> list[tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        wanted = _CONDITION_COUNTS(self.rng)
        for _ in range(wanted * 3):
            name, sex = self.world.some_condition(self.rng)
            found.setdefault(name.lower(), (name, sex))
            if len(found) == wanted:
                break
        return list(found.values())

    def _conditions_module(self, conditions: list[tuple[str, str]], given: list[Any]) -> dict[str, Any]:
        rng = self.rng
        written = []
        for name, _ in conditions:
            variant = rng.random()
            written.append(name.lower() if variant < 0.04 else name.upper() if variant < 0.06 else name)
        module: dict[str, Any] = {"conditions": written}
        if rng.random() < 0.6:
            pool = list(_KEYWORDS) + [item.name for item in given[:2]]
            module["keywords"] = some(rng, pool, between(rng, 1, 6))
        return module

    def _design(self, condition: str) -> tuple[dict[str, Any], dict[str, Any] | None, list[Any]]:
        rng, world = self.rng, self.world
        design: dict[str, Any] = {"studyType": self.study_type}
        if self.study_type == "INTERVENTIONAL":
            phases = _PHASES(rng)
            if phases:
                design["phases"] = list(phases)
            design["designInfo"] = arms.interventional_design(rng)
            module, given = arms.interventional_arms(world, design["designInfo"], condition, rng)
            if rng.random() < 0.01:
                module = {}  # a few interventional records lack the module
        elif self.study_type == "OBSERVATIONAL":
            design["designInfo"] = arms.observational_design(rng)
            if rng.random() < 0.1:
                design["patientRegistry"] = True
            observed, given = arms.observational_arms(world, condition, rng)
            module = observed or {}
            if rng.random() < 0.2:
                retention = pick(rng, ("SAMPLES_WITH_DNA", "SAMPLES_WITHOUT_DNA", "NONE_RETAINED"))
                design["bioSpec"] = {"retention": retention, "description": "Whole blood and serum"}
        else:
            design["expandedAccessTypes"] = {"individual": True, "treatment": rng.random() < 0.4}
            module, given = arms.expanded_access(world, rng)
        if self.study_type != "EXPANDED_ACCESS" and rng.random() < 0.98:
            count = max(1, int(rng.lognormvariate(4.1, 1.4)), self.site_count * between(rng, 2, 12))
            count = 0 if self.status == "WITHDRAWN" else count
            actual = self.status in _ENROLLED
            design["enrollmentInfo"] = {"count": count, "type": "ACTUAL" if actual else "ESTIMATED"}
        return design, module, given

    def _contacts_locations(
        self, lead: Organization, lead_facility: Facility | None, lead_written: str
    ) -> dict[str, Any]:
        rng, world = self.rng, self.world
        module: dict[str, Any] = {}
        if self.status in ("RECRUITING", "NOT_YET_RECRUITING", "AVAILABLE") and rng.random() < 0.7:
            home = lead_facility.ident if lead_facility else lead.ident
            person = world.staff(home, lead.country.language, rng)
            module["centralContacts"] = [sites.contact(person, lead.base, lead.country, rng)]
        officials = sites.officials(world, lead, lead_facility, lead_written, rng)
        if officials:
            module["overallOfficials"] = officials
        if self.site_count:
            found = sites.locations(world, lead, lead_facility, self.status, self.site_count, rng)
            if found:
                module["locations"] = found
        return module

    def _references(self, condition: str) -> dict[str, Any]:
        rng = self.rng
        references = []
        for _ in range(between(rng, 1, 5)):
            pmid = str(between(rng, 10_000_000, 39_000_000))
            kind = pick(rng, ("BACKGROUND", "BACKGROUND", "RESULT", "DERIVED"))
            author = pick(rng, ("Smith J", "Chen L", "Müller A", "Garcia M"))
            published = int(self.registered) + between(rng, 0, 6)
            pages = f"{between(rng, 1, 60)}:{between(rng, 1, 900)}"
            citation = f"{author}, et al. Outcomes in {condition.lower()}. J Clin Res. {published};{pages}."
            references.append({"pmid": pmid, "type": kind, "citation": citation})
        return {"references": references}

    def _ipd_sharing(self) -> dict[str, Any]:
        sharing = self.rng.choices(("NO", "UNDECIDED", "YES"), (60, 20, 20))[0]
        module: dict[str, Any] = {"ipdSharing": sharing}
        if sharing == "YES":
            module["description"] = (
                "De-identified individual participant data will be shared on reasonable request."
            )
            module["infoTypes"] = ["STUDY_PROTOCOL", "SAP"]
        return module

    def _has_results(self, design: dict[str, Any]) -> bool:
        finished = self.status in ("COMPLETED", "TERMINATED")
        later_phases = set(design.get("phases", [])) & {"PHASE2", "PHASE3", "PHASE4"}
        regulated = 2008 <= self.registered <= 2024 and later_phases
        return bool(finished and regulated and self.rng.random() < 0.35)
