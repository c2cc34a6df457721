"""Classic registry XML (``<clinical_study>``): the shared records load whole and clean, every
classic word maps to its v2 word, broken and hostile documents are refused with their lines.

None of the shared XML trials is among the shared registry JSON records, so the expectations
are written by hand from the XML; NCT00023673's summary is also checked against the registry's
own API text for it (the AACT fixture ``spec/support/json_data/NCT00023673.json``).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from graph import vocabulary as words
from graph.errors import LoadError
from graph.model import TrialRecord
from graph.read.records import Loaded, load_records
from graph.read.xml import study as ctgovxml
from graph.read.xml import values as legacy
from tests.paths import CTGOV, CTGOV_XML, PAGES, REPO

XML_IDS = sorted(path.stem for path in CTGOV_XML.glob("*.xml"))
WITHDRAWN = CTGOV_XML / "NCT02591810.xml"
STATUS_WORDS = (
    "one of 'Active, not recruiting', 'Approved for marketing', 'Available', 'Completed', "
    "'Enrolling by invitation', 'No longer available', 'Not yet recruiting', 'Recruiting', 'Suspended', "
    "'Temporarily not available', 'Terminated', 'Unknown status', 'Withdrawn', 'Withheld'"
)


def _records() -> dict[str, TrialRecord]:
    return {record.nct_id: record for record in load_records([CTGOV_XML]).records}


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _study(body: str, nct: str = "NCT00000001") -> str:
    """A small classic document: its NCT ID, then ``body`` (one element a line)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<clinical_study>\n'
        f"  <id_info>\n    <nct_id>{nct}</nct_id>\n  </id_info>\n{body}</clinical_study>\n"
    )


def _parsed(tmp_path: Path, body: str) -> TrialRecord:
    loaded = load_records([_write(tmp_path / "study.xml", _study(body))])
    assert loaded.problems == []
    return loaded.records[0]


def _refused(broken: Path, problems: list[str]) -> Loaded:
    """Strict loading raises with exactly ``problems``; skipping leaves the document out."""
    with pytest.raises(LoadError) as raised:
        load_records([WITHDRAWN, broken])
    assert [str(problem) for problem in raised.value.problems] == problems
    loaded = load_records([WITHDRAWN, broken], skip_invalid=True)
    assert [str(problem) for problem in loaded.problems] == problems
    assert [record.nct_id for record in loaded.records] == ["NCT02591810"]
    assert loaded.skipped == [str(broken)]
    return loaded


# -- the shared records --------------------------------------------------------------------------


def test_every_shared_record_loads_with_no_problem() -> None:
    loaded = load_records([CTGOV_XML])
    assert (loaded.problems, loaded.skipped) == ([], [])
    assert [record.nct_id for record in loaded.records] == XML_IDS
    assert {record.source.format for record in loaded.records} == {"ctgov-xml"}
    assert loaded.sources == {nct: [loaded.records[n].source] for n, nct in enumerate(XML_IDS)}


def test_the_withdrawn_study_whole() -> None:
    record = _records()["NCT02591810"]
    assert asdict(record) == {
        "nct_id": "NCT02591810",
        "source": {"path": str(WITHDRAWN), "member": "", "line": 0, "json_path": "", "format": "ctgov-xml"},
        "brief_title": "Treatment Options for Acute Distal Radioulnar Joint Instability",
        "official_title": "Comparison of Treatment Options for Acute Distal Radioulnar Joint Instability: "
        "A Prospective Randomized Control Trial",
        "acronym": "DRUJ",
        "status": "WITHDRAWN",
        "last_known_status": None,
        "why_stopped": None,
        "phases": ["NA"],
        "study_type": "INTERVENTIONAL",
        "enrollment": 0,
        "enrollment_type": "ACTUAL",
        "start_date": "2015-11-05",
        "start_date_type": "ACTUAL",
        "primary_completion_date": "2016-11-05",
        "primary_completion_date_type": "ACTUAL",
        "completion_date": "2016-11-09",
        "completion_date_type": "ACTUAL",
        "first_submitted": "2015-07-22",
        "first_posted": "2015-10-30",
        "last_updated": "2017-10-02",
        "status_verified": "2017-09",
        "has_results": False,
        "brief_summary": "This prospective randomized control trial (PRCT) aims to compare the outcome of "
        "three treatments for acute distal radioulnar joint (DRUJ) injury with instability with or without "
        "concomitant distal radius fractures: serial splinting/casting with the hand and wrist in the most "
        "stable position for DRUJ reduction vs percutaneous DRUJ fixation with Kirschner wires vs open "
        "anatomic foveal repair of Triangular fibrocartilage complex (TFCC ) ligaments.",
        "detailed_description": "This is a prospective randomized control trial comparing three methods of "
        "treatment for acute DRUJ instability with or without concomitant distal radius fracture. Upon "
        "determination of residual DRUJ instability either preoperatively or intraoperatively after distal "
        "radius fracture fixation, patients will be randomized into one of the three treatment arms of the "
        "study: nonoperative treatment with immobilization, percutaneous DRUJ fixation with Kirschner wires, "
        "and open anatomic foveal repair of Triangular fibrocartilage complex TFCC ligaments with suture. "
        "Those patients undergoing Kirschner wire fixation will have their pins pulled in the clinic setting "
        "six weeks postoperatively. Outcomes will be assessed at follow up visits using the subjective and "
        "objective measures and clinical assistants will be blinded as to the treatment type. "
        "Physician-based assessment of functional outcome with be assessed using the Disability of the Arm, "
        "Shoulder and Hand "
        "(DASH) score and Mayo Wrist scores, as well as independent assessment of DRUJ instability, ROM, and "
        "grip strength. Patient-based assessment will include visual analog pain scores as well as "
        "satisfaction questionnaires.",
        "keywords": [],
        "conditions": ["Wrist Injuries"],
        "design": {
            "allocation": "RANDOMIZED",
            "intervention_model": "PARALLEL",
            "intervention_model_description": None,
            "observational_model": None,
            "time_perspective": None,
            "primary_purpose": "TREATMENT",
            "masking": "SINGLE",
            "masking_description": None,
            "who_masked": ["PARTICIPANT"],
        },
        "arms": [
            {
                "label": "Serial Casting",
                "type": "ACTIVE_COMPARATOR",
                "description": "Participants will receive the intervention of the placement of serial "
                "casting/splinting for the injured wrist. This is not a surgical intervention.",
                "interventions": [0],
                "field": "armGroups[0]",
            },
            {
                "label": "Kirschner wires",
                "type": "ACTIVE_COMPARATOR",
                "description": "Participants will receive the intervention of percutaneous fixation with "
                "Kirschner wires for the injured wrist. This will be performed surgically.",
                "interventions": [1],
                "field": "armGroups[1]",
            },
            {
                "label": "Foveal repair",
                "type": "ACTIVE_COMPARATOR",
                "description": "Participants will receive the intervention of open anatomic foveal repair of "
                "the ligaments of the injured wrist. This is a surgical intervention.",
                "interventions": [2],
                "field": "armGroups[2]",
            },
        ],
        "interventions": [
            {
                "name": "Serial casting/splinting",
                "type": "PROCEDURE",
                "description": "Serial Casting involves applying and removing a series of lightweight casts "
                "made of fiberglass. The wrist is monitored as healing occurs.",
                "other_names": [],
                "field": "interventions[0]",
            },
            {
                "name": "Percutaneous fixation",
                "type": "PROCEDURE",
                "description": "Injury is treated by the percutaneous placement of Kirschner wires to "
                "promote healing. This is an invasive procedure, involving the placement of Kirschner wires "
                "to stabilize the wrist.",
                "other_names": [],
                "field": "interventions[1]",
            },
            {
                "name": "Foveal repair",
                "type": "PROCEDURE",
                "description": "Injury is treated by open anatomic foveal repair of the ligaments. This is a "
                "surgical procedure.",
                "other_names": [],
                "field": "interventions[2]",
            },
        ],
        "eligibility": {
            "criteria": "Inclusion Criteria:\n\n"
            "1. Patients treated at Orlando Regional Medical Center,\n"
            "2. 18 years or older,\n"
            "3. Have an acute (less than 4 week old) injury with instability of the DRUJ.\n\n"
            "Exclusion Criteria:\n\n"
            "1. Younger than 18 years old,\n"
            "2. Patients with an injury over 4 weeks old,\n"
            "3. Previous history of ipsilateral upper extremity trauma,\n"
            "4. Functional deficit,\n"
            "5. Those who are unable to complete postoperative assessments. -",
            "inclusion": [
                "Patients treated at Orlando Regional Medical Center,",
                "18 years or older,",
                "Have an acute (less than 4 week old) injury with instability of the DRUJ.",
            ],
            "exclusion": [
                "Younger than 18 years old,",
                "Patients with an injury over 4 weeks old,",
                "Previous history of ipsilateral upper extremity trauma,",
                "Functional deficit,",
                "Those who are unable to complete postoperative assessments. -",
            ],
            "inclusion_groups": ["", "", ""],
            "exclusion_groups": ["", "", "", "", ""],
            "minimum_age": "18 Years",
            "maximum_age": None,
            "sex": "ALL",
            "healthy_volunteers": False,
            "standard_ages": [],
            "study_population": None,
            "sampling_method": None,
        },
        "sponsors": [
            {"name": "Orlando Health, Inc.", "role": "LEAD", "agency_class": "OTHER", "field": "leadSponsor"}
        ],
        "responsible_party": {
            "type": "PRINCIPAL_INVESTIGATOR",
            "investigator_name": "Brett Lewellyn",
            "investigator_title": "Orthopedic surgeon, Hand specialist",
            "investigator_affiliation": "Orlando Health, Inc.",
        },
        "officials": [
            {
                "name": "Tara Roberts, BS",
                "role": "STUDY_CHAIR",
                "affiliation": "Orlando Health",
                "field": "overallOfficials[0]",
            }
        ],
        "locations": [],
        "countries": [],
        "identifiers": [
            {"value": "15.041.04", "source": "org_study_id", "type": None, "domain": None, "link": None}
        ],
        "organization": "Orlando Health, Inc.",
        "organization_class": None,
        "condition_meshes": [],  # classic XML carries no MeSH terms
        "condition_ancestors": [],
    }


def test_the_expanded_access_study_with_a_person_as_sponsor() -> None:
    record = _records()["NCT01220531"]
    whole = asdict(record)
    descriptions = [intervention.pop("description") for intervention in whole["interventions"]]
    criteria = whole["eligibility"].pop("criteria")
    assert whole == {
        "nct_id": "NCT01220531",
        "source": {
            "path": str(CTGOV_XML / "NCT01220531.xml"),
            "member": "",
            "line": 0,
            "json_path": "",
            "format": "ctgov-xml",
        },
        "brief_title": "Thymus Transplantation Safety-Efficacy",
        "official_title": "Safety and Efficacy of Thymus Transplantation in Complete DiGeorge Anomaly, "
        "IND#9836",
        "acronym": None,
        "status": "AVAILABLE",
        "last_known_status": None,
        "why_stopped": None,
        "phases": [],
        "study_type": "EXPANDED_ACCESS",
        "enrollment": None,
        "enrollment_type": None,
        "start_date": "2010-12",
        "start_date_type": None,
        "primary_completion_date": "2021-12",
        "primary_completion_date_type": "ESTIMATED",
        "completion_date": "2023-12",
        "completion_date_type": "ESTIMATED",
        "first_submitted": "2010-09-22",
        "first_posted": "2010-10-14",
        "last_updated": "2017-05-11",
        "status_verified": "2017-05",
        "has_results": False,
        "brief_summary": "Complete DiGeorge anomaly (cDGA) is a disorder in which there is no thymus "
        "function. With no thymus function, bone marrow stem cells do not develop into T cells, which fight "
        "infection. Complete DiGeorge anomaly patients cannot fight infection and are immunodeficient. "
        "Without successful treatment, cDGA patients usually die by age 2 years.\n\n"
        "Thymus transplantation with and without immunosuppression (drugs given before and after "
        "transplantation) has resulted in the development good T cell function in complete DiGeorge anomaly "
        "subjects.\n\n"
        "This Phase I/II study continues thymus transplantation safety and efficacy research for the "
        "treatment of complete DiGeorge anomaly. Eligible participants undergo thymus transplantation and "
        "biopsy. Immune function testing is continued for one year post-transplantation.",
        "detailed_description": "Complete DiGeorge anomaly (cDGA) is a congenital disorder characterized by "
        "athymia. Without successful treatment, children remain immunodeficient and usually die by age 2 "
        "years. In complete DiGeorge subjects, thymus transplantation with and without immunosuppression has "
        "resulted in diverse T cell development and good T cell function. The purpose of this Phase I/II "
        "study is to continue thymus transplantation safety and efficacy research for the treatment of "
        "complete DiGeorge anomaly. Until thymus transplantation is FDA approved as standard care for "
        "DiGeorge anomaly, research study participation is the only means by which a patient may have access "
        "to this potentially life-saving procedure.\n\n"
        "This protocol includes 4 groups: one for subjects who do not require immunosuppression; and 3 "
        "immunosuppression groups for subjects with different T cell function levels to be suppressed "
        "adequately.\n\n"
        "Eligible subjects undergo thymus transplantation and an allograft biopsy. Protocol specified "
        "studies continue until approximately one year post-transplantation.\n\n"
        "Study participation lasts two years.",
        "keywords": [
            "DiGeorge Anomaly",
            "Thymus Transplantation",
            "DiGeorge Syndrome",
            "Athymia",
            "Low T cell numbers",
            "Immunoreconstitution",
            "Immunodeficiency",
            "Complete DiGeorge",
            "Typical DiGeorge",
            "Atypical DiGeorge",
            "Complete DiGeorge Anomaly",
        ],
        "conditions": [
            "Complete DiGeorge Anomaly",
            "DiGeorge Syndrome",
            "DiGeorge Anomaly",
            "Complete DiGeorge Syndrome",
        ],
        "design": {
            "allocation": None,
            "intervention_model": None,
            "intervention_model_description": None,
            "observational_model": None,
            "time_perspective": None,
            "primary_purpose": None,
            "masking": None,
            "masking_description": None,
            "who_masked": [],
        },
        "arms": [],
        "interventions": [
            {
                "name": name,
                "type": kind,
                "other_names": other_names,
                "field": f"interventions[{n}]",
            }
            for n, (name, kind, other_names) in enumerate(
                [
                    ("Thymus Tissue for Transplantation", "BIOLOGICAL", ["Thymus Tissue Transplant"]),
                    ("Blood Draw", "PROCEDURE", ["Venipuncture"]),
                    ("Rabbit anti-thymocyte globulin", "DRUG", ["RATGAM"]),
                    ("Cyclosporine", "DRUG", ["Csa"]),
                    ("Tacrolimus", "DRUG", ["FK506"]),
                    ("Methylprednisolone or Prednisolone", "DRUG", ["Steroids"]),
                    ("Basiliximab", "DRUG", ["Simulect"]),
                    ("Mycophenolate mofetil", "DRUG", ["MMF", "CellCept"]),
                ]
            )
        ],
        "eligibility": {
            # Its parts are headed "Transplant Inclusion:" and "Transplant Exclusion:", headings
            # with other words, which head their first items too; "Group 1" ... are sub-headings,
            # and a "•" typed without a space after it is a bullet all the same.
            "inclusion": [
                "Must have 1 of following: 22q11 or 10p13 hemizygosity; hypocalcemia requiring "
                "replacement; congenital heart disease; CHARGE association or CHD7 mutation",
                "Complete DiGeorge: <50 CD3+ T cells/cumm or <50 CD3+ T cells/cumm that are CD62L+ "
                "CD45RA+, or <5% of CD3+ cells are CD62L+ CD45RA+",
                "Atypical DiGeorge must have, or have had, a rash.",
                "Typical cDGA whose T cells have a PHA response < 5,000 cpm and < 20 fold PHA response.",
                "Typical cDGA whose T cells have a PHA response >5,000 cpm and <50,000 cpm and >20 fold "
                "PHA response",
                "Typical cDGA whose T cells have PHA response >50,000 cpm",
                "Typical cDGA with maternal engraftment",
                "Atypical cDGA whose T cells have PHA response <40,000 cpm when on immunosuppression or "
                "<75,000 cpm to PHA when not on immunosuppression",
                "Atypical cDGA with group 3 PHA response & maternal engraftment",
                "Atypical cDGA with PHA responses >75,000cpm while on no immunosuppression or PHA "
                "responses >40,000cpm while on immunosuppression",
                "Atypical cDGA with maternal engraftment and group 4 PHA response",
            ],
            "exclusion": [
                "Heart surgery <4 wks pre-transplantation",
                "Heart surgery anticipated w/in 3 months after proposed transplantation",
                "Rejection by surgeon or anesthesiologist as surgical candidate",
                "Lack of sufficient muscle tissue to accept transplant of 4 grams/m2 body surface area",
                "HIV infection",
                "Prior attempts at immune reconstitution, such as bone marrow transplant or previous "
                "thymus transplant",
                "CMV on 2 tests for Groups 2, 3, and 4",
                "Must be biological mother of thymus recipient",
            ],
            "inclusion_groups": ["Transplant Inclusion"] * 3
            + ["Group 1", "Group 2"]
            + ["Group 3"] * 4
            + ["Group 4"] * 2,
            "exclusion_groups": ["Transplant Exclusion"] * 7 + ["Biological Mother Inclusion/Exclusion"],
            "minimum_age": None,
            "maximum_age": None,
            "sex": "ALL",
            "healthy_volunteers": False,
            "standard_ages": [],
            "study_population": None,
            "sampling_method": None,
        },
        "sponsors": [
            {"name": "M. Louise Markert", "role": "LEAD", "agency_class": "OTHER", "field": "leadSponsor"},
            {
                "name": "National Institutes of Health (NIH)",
                "role": "COLLABORATOR",
                "agency_class": "NIH",
                "field": "collaborators[0]",
            },
            {
                "name": "National Institute of Allergy and Infectious Diseases (NIAID)",
                "role": "COLLABORATOR",
                "agency_class": "NIH",
                "field": "collaborators[1]",
            },
            {
                "name": "Eunice Kennedy Shriver National Institute of Child Health and Human Development "
                "(NICHD)",
                "role": "COLLABORATOR",
                "agency_class": "NIH",
                "field": "collaborators[2]",
            },
            {
                "name": "Enzyvant Therapeutics GmbH",
                "role": "COLLABORATOR",
                "agency_class": "INDUSTRY",
                "field": "collaborators[3]",
            },
        ],
        "responsible_party": {
            "type": "SPONSOR_INVESTIGATOR",
            "investigator_name": "M. Louise Markert",
            "investigator_title": "Professor of Pediatrics",
            "investigator_affiliation": "Duke University Medical Center",
        },
        "officials": [
            {
                "name": "M. Louise Markert, M.D., Ph.D",
                "role": "PRINCIPAL_INVESTIGATOR",
                "affiliation": "Duke University Medical Center, Pediatrics, Allergy & Immunology",
                "field": "overallOfficials[0]",
            }
        ],
        "locations": [
            {
                "facility": "Duke University Medical Center",
                "city": "Durham",
                "state": "North Carolina",
                "country": "United States",
                "zip": "27701",
                "status": None,
                "latitude": None,
                "longitude": None,
                "investigators": [
                    {
                        "name": "M. Louise Markert, M.D., Ph.D",
                        "role": "PRINCIPAL_INVESTIGATOR",
                        "affiliation": "Duke University Medical Center",
                        "field": "locations[0].investigators[0]",
                    }
                ],
                "field": "locations[0]",
            }
        ],
        "countries": ["United States"],
        "identifiers": [
            {"value": "Pro00025966", "source": "org_study_id", "type": None, "domain": None, "link": None},
            {
                "value": "2R01AI047040-11A2",
                "source": "secondary_id",
                "type": None,
                "domain": None,
                "link": None,
            },
            {
                "value": "5K12HD043494-09",
                "source": "secondary_id",
                "type": None,
                "domain": None,
                "link": None,
            },
        ],
        "organization": "Duke University",  # the XML's <source>, which v2 calls the organization
        "organization_class": None,
        "condition_meshes": [],  # classic XML carries no MeSH terms
        "condition_ancestors": [],
    }
    assert descriptions[2] == (
        "Three doses of 2 mg/kg IV prior to thymus transplantation. Each dose is given over 12 hours. "
        "RATGAM is usually given on days -5, -4, and -3 prior to thymus transplantation."
    )
    assert descriptions[0].startswith("Potential thymus recipient subjects are screened for eligibility. ")
    assert "Thymus tissue (unrelated donor), donor, & donor's mother screened for safety." in descriptions[0]
    # Typed "•" bullets stay text; the registry's own "-" bullets become list items.
    assert criteria.split("\n\n")[:6] == [
        "Transplant Inclusion:",
        "* Must have 1 of following: 22q11 or 10p13 hemizygosity; hypocalcemia requiring replacement; "
        "congenital heart disease; CHARGE association or CHD7 mutation\n"
        "* Complete DiGeorge: <50 CD3+ T cells/cumm or <50 CD3+ T cells/cumm that are CD62L+ CD45RA+, or <5% "
        "of CD3+ cells are CD62L+ CD45RA+\n"
        "* Atypical DiGeorge must have, or have had, a rash.",
        "Group 1",
        "•Typical cDGA whose T cells have a PHA response < 5,000 cpm and < 20 fold PHA response.",
        "Group 2",
        "•Typical cDGA whose T cells have a PHA response >5,000 cpm and <50,000 cpm and >20 fold PHA "
        "response",
    ]
    assert criteria.endswith(
        "Biological Mother Inclusion/Exclusion:\n\n• Must be biological mother of thymus recipient"
    )


def test_the_study_with_1218_sites_and_30_arms() -> None:
    record = _records()["NCT02465060"]
    assert (len(record.locations), len(record.arms), len(record.interventions)) == (1218, 30, 24)
    assert Counter(location.status for location in record.locations) == {
        "RECRUITING": 1113,
        "ACTIVE_NOT_RECRUITING": 57,
        "SUSPENDED": 48,
    }
    assert sum(len(location.investigators) for location in record.locations) == 1113
    assert [location.field for location in record.locations] == [f"locations[{n}]" for n in range(1218)]
    assert asdict(record.locations[0]) == {
        "facility": "University of Alabama at Birmingham Cancer Center",
        "city": "Birmingham",
        "state": "Alabama",
        "country": "United States",
        "zip": "35233",
        "status": "RECRUITING",
        "latitude": None,
        "longitude": None,
        "investigators": [
            {
                "name": "Carla I. Falkson",
                "role": "PRINCIPAL_INVESTIGATOR",
                "affiliation": "University of Alabama at Birmingham Cancer Center",
                "field": "locations[0].investigators[0]",
            }
        ],
        "field": "locations[0]",
    }
    assert (record.locations[-1].facility, record.locations[-1].city, record.locations[-1].state) == (
        "San Juan City Hospital",
        "San Juan",
        "",
    )
    assert record.countries == ["Puerto Rico", "United States"]
    assert asdict(record.arms[0]) == {
        "label": "Subprotocol A (EGFR activating mutation)",
        "type": "EXPERIMENTAL",
        "description": "Patients with EGFR activating mutation receive afatinib orally (PO) once daily (QD) "
        "on "
        "days 1-28. Courses repeat every 28 days in the absence of disease progression or unacceptable "
        "toxicity.",
        "interventions": [1, 5, 10],
        "field": "armGroups[0]",
    }
    linked = [record.interventions[n].name for n in record.arms[0].interventions]
    assert linked == ["Afatinib", "Cytology Specimen Collection Procedure", "Laboratory Biomarker Analysis"]
    assert asdict(record.interventions[0]) == {
        "name": "Adavosertib",
        "type": "DRUG",
        "description": "Given PO",
        "other_names": ["AZD-1775", "AZD1775", "MK-1775", "MK1775"],
        "field": "interventions[0]",
    }
    assert (record.status, record.phases, record.study_type) == ("RECRUITING", ["PHASE2"], "INTERVENTIONAL")
    assert (record.enrollment, record.enrollment_type) == (6452, "ESTIMATED")
    assert (record.start_date, record.start_date_type) == ("2015-08-12", "ACTUAL")
    assert (record.primary_completion_date, record.primary_completion_date_type) == (
        "2022-06-30",
        "ESTIMATED",
    )
    assert [(s.name, s.role, s.agency_class) for s in record.sponsors] == [
        ("National Cancer Institute (NCI)", "LEAD", "NIH")
    ]
    assert [(o.name, o.role, o.affiliation) for o in record.officials] == [
        ("Keith Flaherty", "PRINCIPAL_INVESTIGATOR", "ECOG-ACRIN Cancer Research Group")
    ]
    assert (record.eligibility.minimum_age, record.eligibility.maximum_age) == ("18 Years", None)
    assert len(record.conditions) == 50 and record.conditions[0] == "Advanced Malignant Solid Neoplasm"


def test_a_summary_unwraps_to_the_registrys_own_text() -> None:
    # As the registry's API gives it for NCT00023673 (AACT fixture NCT00023673.json, BriefSummary).
    assert _records()["NCT00023673"].brief_summary == (
        "RATIONALE: Radiation therapy uses high-energy x-rays to damage tumor cells. Drugs used in "
        "chemotherapy, such as paclitaxel and carboplatin, work in different ways to stop tumor cells from "
        "dividing so they stop growing or die. Combining more than one drug and giving them with specialized "
        "radiation therapy may kill more tumor cells.\n\n"
        "PURPOSE: This phase I/II trial is studying the effectiveness of radiation therapy combined with "
        "paclitaxel and carboplatin in treating patients who have stage III non-small cell lung cancer."
    )


def test_lists_unwrap_to_one_item_a_line_with_sub_items_under_their_item() -> None:
    description = _records()["NCT00023673"].detailed_description
    assert description is not None
    assert description.split("\n\n")[:3] == [
        "OBJECTIVES:",
        "* Determine the maximum tolerated dose of 3-dimensional conformal radiotherapy when administered "
        "concurrently with paclitaxel and carboplatin in patients with inoperable stage IIIA or IIIB "
        "non-small cell lung cancer. (Phase I) (Closed to accrual as of 01/13/04.)\n"
        "* Determine the 12-month survival rate in patients treated with this regimen. (Phase II) (Closed to "
        "accrual as of 11/27/07.)\n"
        "* Determine the toxicity of this regimen in these patients.\n"
        "* Determine the partial organ tolerance doses for the lung and esophagus in patients treated with "
        "this regimen.\n"
        "* Determine the complete response rate in patients treated with this regimen.",
        "OUTLINE: This is a multicenter, dose-escalation study of 3-dimensional conformal radiotherapy.",
    ]
    criteria = _records()["NCT02591940"].eligibility
    assert criteria.criteria == (
        "Inclusion Criteria:\n\n"
        "* patients with the need for surgical or interventional treatment with Aortic Coarctation\n"
        "* patients with the need for aortic valve disease surgery\n\n"
        "  * both according to current treatment guidelines\n\n"
        "Exclusion Criteria:\n\n"
        "* contraindications for MRI"
    )
    assert (criteria.inclusion, criteria.exclusion) == (
        [
            "patients with the need for surgical or interventional treatment with Aortic Coarctation",
            "patients with the need for aortic valve disease surgery * both according to current treatment "
            "guidelines",
        ],
        ["contraindications for MRI"],
    )


@pytest.mark.parametrize(
    ("block", "text"),
    [
        ("\n      One line.\n    ", "One line."),
        # A break before a word that would have fitted on the line is the author's own.
        ("\n      Short line.\n      Next line.\n    ", "Short line.\nNext line."),
        ("\n" + "      " + "word " * 18 + "wrapped\n      on.\n", " ".join(["word"] * 18) + " wrapped on."),
        (
            "\n      Heading:\n\n        1. First,\n\n        2. Second\n\n      After.\n",
            "Heading:\n\n1. First,\n2. Second\n\nAfter.",
        ),
        (
            "\n        -  Item\n\n             -  Sub\n\n                  -  Sub-sub\n\n        -  Next\n",
            "* Item\n\n  * Sub\n\n    * Sub-sub\n* Next",
        ),
        ("\n        -  Item\n\n           More about the item.\n", "* Item\n\n  More about the item."),
        ("   \n  \n", None),
    ],
)
def test_text_blocks_unwrap(block: str, text: str | None) -> None:
    assert legacy.unwrap(block) == text


def test_the_redacted_record_names_no_sponsor_and_no_organization() -> None:
    record = _records()["NCT03182660"]
    assert (record.status, record.study_type, record.phases) == ("WITHHELD", None, [])
    assert (record.sponsors, record.organization, asdict(record.responsible_party)) == (
        [],
        None,
        {
            "type": None,
            "investigator_name": None,
            "investigator_title": None,
            "investigator_affiliation": None,
        },
    )
    assert record.brief_title == "[Trial of device that is not approved or cleared by the U.S. FDA]"


def test_status_results_and_observational_details_of_the_other_records() -> None:
    records = _records()
    assert (records["NCT02591940"].status, records["NCT02591940"].last_known_status) == (
        "UNKNOWN",
        "ENROLLING_BY_INVITATION",
    )
    assert records["NCT00277524"].why_stopped == "Ended follow-up after four years"
    assert {nct for nct, record in records.items() if record.has_results} == {
        "NCT00023673",
        "NCT00277524",
        "NCT01076361",
        "NCT01534533",
    }
    registry = records["NCT01076361"]
    assert (registry.study_type, registry.eligibility.sampling_method) == (
        "OBSERVATIONAL",
        "NON_PROBABILITY_SAMPLE",
    )
    assert records["NCT01534533"].design.who_masked == [
        "PARTICIPANT",
        "CARE_PROVIDER",
        "INVESTIGATOR",
        "OUTCOMES_ASSESSOR",
    ]
    assert records["NCT01534533"].eligibility.healthy_volunteers is True


# -- every classic word ---------------------------------------------------------------------------

# The classic words of each v2 enum, written out here independently of graph/read/xml/values.py.
STATUSES: dict[str, str | None] = {
    "Active, not recruiting": "ACTIVE_NOT_RECRUITING",
    "Completed": "COMPLETED",
    "Enrolling by invitation": "ENROLLING_BY_INVITATION",
    "Not yet recruiting": "NOT_YET_RECRUITING",
    "Recruiting": "RECRUITING",
    "Suspended": "SUSPENDED",
    "Terminated": "TERMINATED",
    "Withdrawn": "WITHDRAWN",
    "Available": "AVAILABLE",
    "No longer available": "NO_LONGER_AVAILABLE",
    "Temporarily not available": "TEMPORARILY_NOT_AVAILABLE",
    "Approved for marketing": "APPROVED_FOR_MARKETING",
    "Withheld": "WITHHELD",
    "Unknown status": "UNKNOWN",
}
SITE_STATUSES: dict[str, str | None] = {
    word: value for word, value in STATUSES.items() if value in words.RECRUITMENT_STATUSES
}
ROLES: dict[str, str | None] = {
    "Study Chair": "STUDY_CHAIR",
    "Study Director": "STUDY_DIRECTOR",
    "Principal Investigator": "PRINCIPAL_INVESTIGATOR",
    "Sub-Investigator": "SUB_INVESTIGATOR",
}
AGENCY_CLASSES: dict[str, str | None] = {
    "NIH": "NIH",
    "U.S. Fed": "FED",
    "Industry": "INDUSTRY",
    "Other": "OTHER",
}
DATE_TYPES: dict[str, str | None] = {"Actual": "ACTUAL", "Anticipated": "ESTIMATED", "Estimate": "ESTIMATED"}
Read = Callable[[TrialRecord], Any]
# element written -> (its table, its classic words and v2 words, the document body, where it lands)
ELEMENTS: dict[str, tuple[legacy.Words, dict[str, str | None], str, Read]] = {
    "overall_status": (legacy.STATUSES, STATUSES, "<overall_status>{}</overall_status>", lambda r: r.status),
    "last_known_status": (
        legacy.STATUSES,
        STATUSES,
        "<last_known_status>{}</last_known_status>",
        lambda r: r.last_known_status,
    ),
    "location/status": (
        legacy.RECRUITMENT_STATUSES,
        SITE_STATUSES,
        "<location><status>{}</status></location>",
        lambda r: r.locations[0].status,
    ),
    "study_type": (
        legacy.STUDY_TYPES,
        {
            "Expanded Access": "EXPANDED_ACCESS",
            "Interventional": "INTERVENTIONAL",
            "Observational": "OBSERVATIONAL",
            "Observational [Patient Registry]": "OBSERVATIONAL",
            "N/A": None,
        },
        "<study_type>{}</study_type>",
        lambda r: r.study_type,
    ),
    "phase": (
        legacy.PHASES,
        {
            "N/A": "NA",
            "Early Phase 1": "EARLY_PHASE1",
            "Phase 0": "EARLY_PHASE1",
            "Phase 1": "PHASE1",
            "Phase 2": "PHASE2",
            "Phase 3": "PHASE3",
            "Phase 4": "PHASE4",
        },
        "<phase>{}</phase>",
        lambda r: r.phases[0],
    ),
    "allocation": (
        legacy.ALLOCATIONS,
        {"Randomized": "RANDOMIZED", "Non-Randomized": "NON_RANDOMIZED", "N/A": "NA"},
        "<study_design_info><allocation>{}</allocation></study_design_info>",
        lambda r: r.design.allocation,
    ),
    "intervention_model": (
        legacy.INTERVENTION_MODELS,
        {
            "Single Group Assignment": "SINGLE_GROUP",
            "Parallel Assignment": "PARALLEL",
            "Crossover Assignment": "CROSSOVER",
            "Factorial Assignment": "FACTORIAL",
            "Sequential Assignment": "SEQUENTIAL",
        },
        "<study_design_info><intervention_model>{}</intervention_model></study_design_info>",
        lambda r: r.design.intervention_model,
    ),
    "primary_purpose": (
        legacy.PRIMARY_PURPOSES,
        {
            "Treatment": "TREATMENT",
            "Prevention": "PREVENTION",
            "Diagnostic": "DIAGNOSTIC",
            "Educational/Counseling/Training": "ECT",
            "Supportive Care": "SUPPORTIVE_CARE",
            "Screening": "SCREENING",
            "Health Services Research": "HEALTH_SERVICES_RESEARCH",
            "Basic Science": "BASIC_SCIENCE",
            "Device Feasibility": "DEVICE_FEASIBILITY",
            "Other": "OTHER",
        },
        "<study_design_info><primary_purpose>{}</primary_purpose></study_design_info>",
        lambda r: r.design.primary_purpose,
    ),
    "observational_model": (
        legacy.OBSERVATIONAL_MODELS,
        {
            "Cohort": "COHORT",
            "Case-Control": "CASE_CONTROL",
            "Case-Only": "CASE_ONLY",
            "Case-Crossover": "CASE_CROSSOVER",
            "Ecologic or Community": "ECOLOGIC_OR_COMMUNITY",
            "Family-Based": "FAMILY_BASED",
            "Defined Population": "DEFINED_POPULATION",
            "Natural History": "NATURAL_HISTORY",
            "Other": "OTHER",
        },
        "<study_design_info><observational_model>{}</observational_model></study_design_info>",
        lambda r: r.design.observational_model,
    ),
    "time_perspective": (
        legacy.TIME_PERSPECTIVES,
        {
            "Retrospective": "RETROSPECTIVE",
            "Prospective": "PROSPECTIVE",
            "Cross-Sectional": "CROSS_SECTIONAL",
            "Other": "OTHER",
        },
        "<study_design_info><time_perspective>{}</time_perspective></study_design_info>",
        lambda r: r.design.time_perspective,
    ),
    "masking": (
        legacy.MASKINGS,
        {
            "None (Open Label)": "NONE",
            "Single": "SINGLE",
            "Double": "DOUBLE",
            "Triple": "TRIPLE",
            "Quadruple": "QUADRUPLE",
        },
        "<study_design_info><masking>{}</masking></study_design_info>",
        lambda r: r.design.masking,
    ),
    "masking (who)": (
        legacy.WHO_MASKED,
        {
            "Participant": "PARTICIPANT",
            "Care Provider": "CARE_PROVIDER",
            "Investigator": "INVESTIGATOR",
            "Outcomes Assessor": "OUTCOMES_ASSESSOR",
        },
        "<study_design_info><masking>Single ({})</masking></study_design_info>",
        lambda r: r.design.who_masked[0],
    ),
    "start_date/@type": (
        legacy.DATE_TYPES,
        DATE_TYPES,
        '<start_date type="{}">May 2010</start_date>',
        lambda r: r.start_date_type,
    ),
    "enrollment/@type": (
        legacy.DATE_TYPES,
        DATE_TYPES,
        '<enrollment type="{}">12</enrollment>',
        lambda r: r.enrollment_type,
    ),
    "arm_group_type": (
        legacy.ARM_TYPES,
        {
            "Experimental": "EXPERIMENTAL",
            "Active Comparator": "ACTIVE_COMPARATOR",
            "Placebo Comparator": "PLACEBO_COMPARATOR",
            "Sham Comparator": "SHAM_COMPARATOR",
            "No Intervention": "NO_INTERVENTION",
            "Other": "OTHER",
        },
        "<arm_group><arm_group_label>A</arm_group_label><arm_group_type>{}</arm_group_type></arm_group>",
        lambda r: r.arms[0].type,
    ),
    "intervention_type": (
        legacy.INTERVENTION_TYPES,
        {
            "Behavioral": "BEHAVIORAL",
            "Biological": "BIOLOGICAL",
            "Combination Product": "COMBINATION_PRODUCT",
            "Device": "DEVICE",
            "Diagnostic Test": "DIAGNOSTIC_TEST",
            "Dietary Supplement": "DIETARY_SUPPLEMENT",
            "Drug": "DRUG",
            "Genetic": "GENETIC",
            "Procedure": "PROCEDURE",
            "Radiation": "RADIATION",
            "Other": "OTHER",
        },
        "<intervention><intervention_type>{}</intervention_type><intervention_name>X</intervention_name>"
        "</intervention>",
        lambda r: r.interventions[0].type,
    ),
    "overall_official/role": (
        legacy.OFFICIAL_ROLES,
        ROLES,
        "<overall_official><last_name>A. Person</last_name><role>{}</role></overall_official>",
        lambda r: r.officials[0].role,
    ),
    "location/investigator/role": (
        legacy.OFFICIAL_ROLES,
        ROLES,
        "<location><investigator><last_name>A. Person</last_name><role>{}</role></investigator></location>",
        lambda r: r.locations[0].investigators[0].role,
    ),
    "lead_sponsor/agency_class": (
        legacy.AGENCY_CLASSES,
        AGENCY_CLASSES,
        "<sponsors><lead_sponsor><agency>A</agency><agency_class>{}</agency_class></lead_sponsor></sponsors>",
        lambda r: r.sponsors[0].agency_class,
    ),
    "collaborator/agency_class": (
        legacy.AGENCY_CLASSES,
        AGENCY_CLASSES,
        "<sponsors><collaborator><agency>A</agency><agency_class>{}</agency_class></collaborator></sponsors>",
        lambda r: r.sponsors[0].agency_class,
    ),
    "responsible_party_type": (
        legacy.RESPONSIBLE_PARTY_TYPES,
        {
            "Sponsor": "SPONSOR",
            "Principal Investigator": "PRINCIPAL_INVESTIGATOR",
            "Sponsor-Investigator": "SPONSOR_INVESTIGATOR",
        },
        "<responsible_party><responsible_party_type>{}</responsible_party_type></responsible_party>",
        lambda r: r.responsible_party.type,
    ),
    "gender": (
        legacy.SEXES,
        {"All": "ALL", "Both": "ALL", "Female": "FEMALE", "Male": "MALE"},
        "<eligibility><gender>{}</gender></eligibility>",
        lambda r: r.eligibility.sex,
    ),
    "sampling_method": (
        legacy.SAMPLING_METHODS,
        {"Probability Sample": "PROBABILITY_SAMPLE", "Non-Probability Sample": "NON_PROBABILITY_SAMPLE"},
        "<eligibility><sampling_method>{}</sampling_method></eligibility>",
        lambda r: r.eligibility.sampling_method,
    ),
}
WORDS = [
    (element, word, value) for element, (_, table, _, _) in ELEMENTS.items() for word, value in table.items()
]
# v2 words no classic word stands for: classes drawn after the classic schema was frozen.
UNREACHED = {"AgencyClass": {"OTHER_GOV", "INDIV", "NETWORK", "AMBIG", "UNKNOWN"}}


@pytest.mark.parametrize(("element", "word", "value"), WORDS, ids=[f"{e}={w}" for e, w, _ in WORDS])
def test_every_classic_word_lands_as_its_v2_word(
    tmp_path: Path, element: str, word: str, value: str | None
) -> None:
    _, _, body, read = ELEMENTS[element]
    record = _parsed(tmp_path, body.format(word) + "\n")
    assert read(record) == value


def test_the_tables_hold_exactly_the_words_tested_and_reach_every_v2_word() -> None:
    for table, vocabulary in legacy.TABLES.items():
        tested = [expected for (words_table, expected, _, _) in ELEMENTS.values() if words_table is table]
        assert tested, table.name
        assert all(found == table.meaning for found in tested), table.name
        assert set(table.meaning.values()) - {None} <= vocabulary, table.name
        assert vocabulary - set(table.meaning.values()) == UNREACHED.get(table.name, set()), table.name


def test_combined_phases_are_two_phases(tmp_path: Path) -> None:
    assert _parsed(tmp_path, "<phase>Phase 1/Phase 2</phase>\n").phases == ["PHASE1", "PHASE2"]
    assert _parsed(tmp_path, "<phase>Phase 2/Phase 3</phase>\n").phases == ["PHASE2", "PHASE3"]


def test_masking_names_who_is_masked(tmp_path: Path) -> None:
    body = (
        "<study_design_info><masking>Quadruple (Participant, Care Provider, Investigator, Outcomes Assessor)"
        "</masking><masking_description>Sealed envelopes</masking_description></study_design_info>\n"
    )
    design = _parsed(tmp_path, body).design
    assert (design.masking, design.who_masked, design.masking_description) == (
        "QUADRUPLE",
        ["PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR"],
        "Sealed envelopes",
    )


@pytest.mark.parametrize(
    ("written", "volunteers"), [("Accepts Healthy Volunteers", True), ("Yes", True), ("No", False)]
)
def test_healthy_volunteers(tmp_path: Path, written: str, volunteers: bool) -> None:
    body = f"<eligibility><healthy_volunteers>{written}</healthy_volunteers></eligibility>\n"
    assert _parsed(tmp_path, body).eligibility.healthy_volunteers is volunteers


# -- dates and ages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("March 2010", "2010-03"),
        ("March 15, 2010", "2010-03-15"),
        ("September 1999", "1999-09"),
        ("February 29, 2016", "2016-02-29"),
        ("December 1, 2023", "2023-12-01"),
        ("Unknown", None),
    ],
)
def test_dates(tmp_path: Path, written: str, iso: str | None) -> None:
    body = (
        f'<start_date type="Anticipated">{written}</start_date>\n'
        f"<verification_date>{written}</verification_date>\n"
    )
    record = _parsed(tmp_path, body)
    assert (record.start_date, record.start_date_type, record.status_verified) == (iso, "ESTIMATED", iso)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2010-03", "'2010-03' is not a date; expected 'Month YYYY' or 'Month D, YYYY'"),
        ("Mar 2010", "'Mar 2010' is not a date; expected 'Month YYYY' or 'Month D, YYYY'"),
        ("march 15, 2010", "'march 15, 2010' is not a date; expected 'Month YYYY' or 'Month D, YYYY'"),
        ("February 30, 2010", "'February 30, 2010' is not a date: February 2010 has no day 30"),
    ],
)
def test_an_unreadable_date_is_an_error_at_its_line(tmp_path: Path, written: str, message: str) -> None:
    broken = _write(tmp_path / "study.xml", _study(f"  <completion_date>{written}</completion_date>\n"))
    _refused(broken, [f"{broken}:6: completion_date: {message}"])


@pytest.mark.parametrize(
    ("minimum", "maximum", "ages"),
    [
        ("18 Years", "N/A", ("18 Years", None)),
        ("N/A", "65 Years", (None, "65 Years")),
        ("6 Months", "1 Year", ("6 Months", "1 Year")),
        ("28 Days", "N/A", ("28 Days", None)),
    ],
)
def test_ages(tmp_path: Path, minimum: str, maximum: str, ages: tuple[str | None, str | None]) -> None:
    limits = f"<minimum_age>{minimum}</minimum_age><maximum_age>{maximum}</maximum_age>"
    body = f"<eligibility>{limits}</eligibility>\n"
    eligibility = _parsed(tmp_path, body).eligibility
    assert (eligibility.minimum_age, eligibility.maximum_age) == ages


# -- broken documents ----------------------------------------------------------------------------


def test_malformed_xml_is_located_by_line(tmp_path: Path) -> None:
    text = WITHDRAWN.read_text(encoding="utf-8")
    broken = _write(tmp_path / "NCT02591810.xml", text.replace("</brief_title>", "</brief_titel>"))
    message = "invalid XML: Opening and ending tag mismatch: brief_title line 14 and brief_titel, line 14, "
    message += "column 93"
    _refused(broken, [f"{broken}:14: {message}"])


def test_a_document_cut_short(tmp_path: Path) -> None:
    text = WITHDRAWN.read_bytes()
    broken = _write(tmp_path / "NCT02591810.xml", text[: text.index(b"<eligibility>")])
    message = "invalid XML: Premature end of data in tag clinical_study line 2, line 122, column 3"
    _refused(broken, [f"{broken}:122: {message}"])


def test_a_root_other_than_clinical_study(tmp_path: Path) -> None:
    broken = _write(
        tmp_path / "study.xml",
        '<?xml version="1.0"?>\n<FullStudy>\n  <nct_id>NCT02591810</nct_id>\n</FullStudy>\n',
    )
    message = (
        "not a classic ClinicalTrials.gov study: the root element is <FullStudy>, expected <clinical_study>"
    )
    _refused(broken, [f"{broken}:2: {message}"])


def test_a_missing_nct_id(tmp_path: Path) -> None:
    text = WITHDRAWN.read_text(encoding="utf-8").replace("<nct_id>NCT02591810</nct_id>", "")
    broken = _write(tmp_path / "NCT02591810.xml", text)
    _refused(broken, [f"{broken}:10: id_info/nct_id: missing; every study needs its NCT ID"])


def test_an_nct_id_of_the_wrong_form(tmp_path: Path) -> None:
    text = WITHDRAWN.read_text(encoding="utf-8").replace("<nct_id>NCT02591810<", "<nct_id>NCT2591810<")
    broken = _write(tmp_path / "NCT02591810.xml", text)
    _refused(broken, [f"{broken}:12: id_info/nct_id: 'NCT2591810' is not 'NCT' and 8 digits"])


def test_unknown_words_are_errors_naming_the_element_and_the_words_expected(tmp_path: Path) -> None:
    text = (
        WITHDRAWN.read_text(encoding="utf-8")
        .replace("<overall_status>Withdrawn<", "<overall_status>Maybe<")
        .replace('<start_date type="Actual">', '<start_date type="Hoped">')
        .replace(
            "<arm_group_type>Active Comparator</arm_group_type>\n    <description>Participants will "
            "receive the intervention of percutaneous",
            "<arm_group_type>Comparator</arm_group_type>\n"
            "    <description>Participants will receive the intervention of percutaneous",
        )
        .replace("<masking>Single (Participant)</masking>", "<masking>Single (Nurse)</masking>")
        .replace("<phase>N/A</phase>", "<phase>Phase 1/Phase 5</phase>")
        .replace("<gender>All</gender>", "<gender>Everyone</gender>")
        .replace("<minimum_age>18 Years</minimum_age>", "<minimum_age>18</minimum_age>")
        .replace('<enrollment type="Actual">0</enrollment>', '<enrollment type="Actual">none</enrollment>')
    )
    broken = _write(tmp_path / "NCT02591810.xml", text)
    arm_types = legacy.ARM_TYPES.expected()
    _refused(
        broken,
        [
            f"{broken}:53: overall_status: 'Maybe' is not known; expected {STATUS_WORDS}",
            f"{broken}:54: start_date/@type: 'Hoped' is not known; expected one of 'Actual', 'Anticipated', "
            "'Estimate'",
            f"{broken}:57: phase: 'Phase 1/Phase 5' is not known; expected one of 'Early Phase 1', 'N/A', "
            "'Phase 0', 'Phase 1', 'Phase 2', 'Phase 3', 'Phase 4', or two joined by '/'",
            f"{broken}:87: enrollment: 'none' is not a count of participants",
            f"{broken}:64: study_design_info/masking: 'Single (Nurse)' is not known; expected one of "
            "'Double', 'None (Open Label)', 'Quadruple', 'Single', 'Triple', the last four followed by "
            "who is masked ('Care Provider', 'Investigator', 'Outcomes Assessor', 'Participant')",
            f"{broken}:96: arm_group[2]/arm_group_type: 'Comparator' is not known; expected {arm_types}",
            f"{broken}:147: eligibility/minimum_age: '18' is not an age; expected a number and a unit, as in "
            "'18 Years', or 'N/A'",
            f"{broken}:146: eligibility/gender: 'Everyone' is not known; expected one of 'All', 'Both', "
            "'Female', 'Male'",
        ],
    )


def test_an_arm_label_no_arm_has_is_a_warning(tmp_path: Path) -> None:
    text = WITHDRAWN.read_text(encoding="utf-8").replace(
        "<arm_group_label>Kirschner wires</arm_group_label>\n  </intervention>",
        "<arm_group_label>Kirschner wire</arm_group_label>\n  </intervention>",
    )
    document = _write(tmp_path / "NCT02591810.xml", text)
    loaded = load_records([document])
    assert [str(problem) for problem in loaded.problems] == [
        f"{document}:114: warning: intervention[2]/arm_group_label: no arm group is labelled 'Kirschner wire'"
    ]
    assert [arm.interventions for arm in loaded.records[0].arms] == [[0], [], [2]]


# -- hostile documents ---------------------------------------------------------------------------

SECRET = "TOP-SECRET-hostname-7f3a"


def _xxe(tmp_path: Path, declaration: str) -> Path:
    secret = _write(tmp_path / "hostname", f"{SECRET}\n")
    return _write(
        tmp_path / "xxe.xml",
        f'<?xml version="1.0"?>\n<!DOCTYPE clinical_study [\n  {declaration.format(secret.as_uri())}\n]>\n'
        "<clinical_study>\n  <id_info><nct_id>NCT00000001</nct_id></id_info>\n"
        "  <brief_title>&xxe;</brief_title>\n</clinical_study>\n",
    )


@pytest.mark.parametrize(
    "declaration",
    [
        '<!ENTITY xxe SYSTEM "{}">',
        '<!ENTITY xxe SYSTEM "file:///etc/hostname">',
        '<!ENTITY % remote SYSTEM "{}"> %remote;',
        '<!ENTITY xxe "an internal entity">',
    ],
)
def test_an_entity_declaration_is_refused_and_nothing_leaks(tmp_path: Path, declaration: str) -> None:
    broken = _xxe(tmp_path, declaration)
    loaded = _refused(
        broken, [f"{broken}:3: refused: the DOCTYPE declares an entity; classic study XML declares none"]
    )
    assert SECRET not in str(loaded.problems)


def test_the_parser_itself_expands_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the check before parsing, the parser still reads no file and expands no entity."""
    monkeypatch.setattr(ctgovxml, "_ENTITY", re.compile(rb"(?!)"))
    broken = _xxe(tmp_path, '<!ENTITY xxe SYSTEM "{}">')
    loaded = _refused(
        broken, [f"{broken}:1: refused: the DOCTYPE declares an entity; classic study XML declares none"]
    )
    assert SECRET not in str(loaded.problems)


def test_a_reference_to_an_entity_of_an_external_dtd_is_refused(tmp_path: Path) -> None:
    secret = _write(tmp_path / "hostname.dtd", f'<!ENTITY xxe "{SECRET}">\n')
    broken = _write(
        tmp_path / "external.xml",
        f'<?xml version="1.0"?>\n<!DOCTYPE clinical_study SYSTEM "{secret.as_uri()}">\n<clinical_study>\n'
        "  <id_info><nct_id>NCT00000001</nct_id></id_info>\n  <brief_title>&xxe;</brief_title>\n"
        "</clinical_study>\n",
    )
    loaded = _refused(broken, [f"{broken}:5: refused: the entity reference &xxe; is never expanded"])
    assert SECRET not in str(loaded.problems)


def _laughs() -> str:
    """Ten entities, each ten of the one before: "lol" a billion times over once expanded."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE clinical_study [\n' + "\n".join(entities) + "\n]>\n"
        "<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info>"
        "<brief_title>&lol9;</brief_title></clinical_study>\n"
    )


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    laughs = _write(tmp_path / "laughs.xml", _laughs())
    started = time.perf_counter()
    _refused(
        laughs, [f"{laughs}:3: refused: the DOCTYPE declares an entity; classic study XML declares none"]
    )
    assert time.perf_counter() - started < 2


def test_billion_laughs_does_not_get_past_the_parser_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ctgovxml, "_ENTITY", re.compile(rb"(?!)"))  # no check before parsing
    laughs = _write(tmp_path / "laughs.xml", _laughs())
    started = time.perf_counter()
    with pytest.raises(LoadError) as raised:
        load_records([laughs])
    assert time.perf_counter() - started < 2
    assert [problem.where.split(":")[0] for problem in raised.value.problems] == [str(laughs)]


# -- finding documents, and which record wins ------------------------------------------------------


def test_xml_is_found_in_folders_and_zip_files_and_sniffed_without_a_suffix(tmp_path: Path) -> None:
    archive = tmp_path / "studies.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(CTGOV_XML / "NCT02591940.xml", "xml/NCT02591940.xml")
    unnamed = _write(tmp_path / "NCT03182660", (CTGOV_XML / "NCT03182660.xml").read_bytes())
    loaded = load_records([archive, unnamed])
    assert loaded.problems == []
    assert [(str(source), source.format) for sources in loaded.sources.values() for source in sources] == [
        (f"{archive}!xml/NCT02591940.xml", "ctgov-xml"),
        (f"{unnamed}", "ctgov-xml"),
    ]


def _xml_of(tmp_path: Path, nct: str, updated: str) -> Path:
    """The withdrawn study's XML, renamed to ``nct`` and updated on ``updated``."""
    text = (
        WITHDRAWN.read_text(encoding="utf-8")
        .replace("NCT02591810", nct)
        .replace(
            '<last_update_posted type="Actual">October 2, 2017<',
            f'<last_update_posted type="Actual">{updated}<',
        )
    )
    return _write(tmp_path / f"{nct}.xml", text)


@pytest.mark.parametrize("xml_first", [True, False])
def test_on_the_same_day_registry_json_wins_over_xml_and_xml_over_a_page(
    tmp_path: Path, xml_first: bool
) -> None:
    xml = _xml_of(tmp_path, "NCT00973089", "August 19, 2015")  # the day the JSON and page were updated
    json, page = CTGOV / "NCT00973089.json", PAGES / "NCT00973089.txt"
    for other, winner in ((json, "ctgov-json"), (page, "ctgov-xml")):
        paths = [xml, other] if xml_first else [other, xml]
        (record,) = load_records(paths).records
        assert record.source.format == winner


def test_a_later_xml_wins_over_earlier_json(tmp_path: Path) -> None:
    xml = _xml_of(tmp_path, "NCT00973089", "August 20, 2015")
    (record,) = load_records([CTGOV / "NCT00973089.json", xml]).records
    assert (record.source.format, record.last_updated) == ("ctgov-xml", "2015-08-20")


def test_trialgraph_check_passes_on_the_shared_xml() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "check", str(CTGOV_XML)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.splitlines()[-1] == "10 trial(s) loaded; 0 error(s), 0 warning(s)"
