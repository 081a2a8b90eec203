"""The shipped checklists: what each kind of case, and each accompanying family member, must provide or arrange.

Declarative data, read when a case opens (``checklist_for_case``) and when a family member
is added (``checklist_for_member``). ``due_before`` is the transition an item must be done
before: ``prepare`` for what the programme needs to prepare the case for approval (documents
later verified before the hand-off to the authority), ``record_arrival`` for the move itself.
The lists are the platform's own design for a programme that ends in an immigration
authority's permit; a programme needing others can extend ``BY_KIND``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from talentgate.cases.models import CaseKind, DocumentKind, ItemCategory, Relation

PREPARE = "prepare"
ARRIVAL = "record_arrival"


@dataclass(frozen=True)
class ItemSpec:
    """One checklist line: ``code`` is unique within a case (or within one family member's list)."""

    code: str
    label: Any  # a lazy translation
    category: str
    document_kind: str = ""
    due_before: str = PREPARE
    required: bool = True


def _doc(kind: DocumentKind, label: Any, *, required: bool = True) -> ItemSpec:
    return ItemSpec(kind.value, label, ItemCategory.DOCUMENT, kind.value, PREPARE, required)


# Every case: who the person is, that they are fit and of good standing, and the move itself.
COMMON: tuple[ItemSpec, ...] = (
    _doc(DocumentKind.PASSPORT, _("Passport (valid for the whole stay)")),
    _doc(DocumentKind.PHOTO, _("Photograph to the authority's format")),
    _doc(DocumentKind.MEDICAL, _("Medical certificate")),
    _doc(DocumentKind.POLICE_CLEARANCE, _("Police clearance certificate")),
    ItemSpec("travel_booked", _("Travel booked"), ItemCategory.TRAVEL, due_before=ARRIVAL),
    ItemSpec("housing_arranged", _("Housing arranged"), ItemCategory.HOUSING, due_before=ARRIVAL),
    ItemSpec("health_insurance", _("Health insurance in force"), ItemCategory.HOUSING, due_before=ARRIVAL),
    ItemSpec(
        "language_course", _("Language course offered"), ItemCategory.LANGUAGE, due_before=ARRIVAL, required=False
    ),
)

# What each kind of case adds: the evidence its permit type rests on.
BY_KIND: dict[str, tuple[ItemSpec, ...]] = {
    CaseKind.SPECIALIST: (
        _doc(DocumentKind.EMPLOYMENT_CONTRACT, _("Signed employment contract")),
        _doc(DocumentKind.DIPLOMA, _("Diploma of the highest degree")),
    ),
    CaseKind.RESEARCHER: (
        _doc(DocumentKind.HOSTING_AGREEMENT, _("Hosting agreement with the research organisation")),
        _doc(DocumentKind.DIPLOMA, _("Doctoral or highest diploma")),
    ),
    CaseKind.STUDENT: (
        _doc(DocumentKind.ADMISSION_LETTER, _("Letter of admission")),
        _doc(DocumentKind.PROOF_OF_FUNDS, _("Proof of funds or a scholarship")),
    ),
    CaseKind.ACADEMIC_MOBILITY: (
        _doc(DocumentKind.EXCHANGE_AGREEMENT, _("Exchange or mobility agreement")),
        _doc(DocumentKind.ADMISSION_LETTER, _("Invitation from the receiving institution")),
    ),
    CaseKind.ACHIEVER: (
        _doc(DocumentKind.AWARD_EVIDENCE, _("Evidence of the achievement (awards, titles, results)")),
        _doc(DocumentKind.EMPLOYMENT_CONTRACT, _("Contract or invitation from the host")),
    ),
    CaseKind.ENTREPRENEUR: (
        _doc(DocumentKind.BUSINESS_PLAN, _("Business plan")),
        _doc(DocumentKind.PROOF_OF_FUNDS, _("Proof of investment funds")),
    ),
}

# Each accompanying family member, by relation.
BY_RELATION: dict[str, tuple[ItemSpec, ...]] = {
    Relation.SPOUSE: (
        _doc(DocumentKind.PASSPORT, _("Passport of the spouse")),
        _doc(DocumentKind.MARRIAGE_CERTIFICATE, _("Marriage certificate")),
    ),
    Relation.PARTNER: (
        _doc(DocumentKind.PASSPORT, _("Passport of the partner")),
        _doc(DocumentKind.MARRIAGE_CERTIFICATE, _("Partnership certificate")),
    ),
    Relation.CHILD: (
        _doc(DocumentKind.PASSPORT, _("Passport of the child")),
        _doc(DocumentKind.BIRTH_CERTIFICATE, _("Birth certificate")),
        ItemSpec("school_place", _("School or kindergarten place"), ItemCategory.FAMILY, due_before=ARRIVAL),
    ),
}

# Added when a permit holder changes host: the authority must amend the permit for the new employer.
PERMIT_AMENDMENT = ItemSpec(
    "permit_amendment", _("Permit amended for the new host"), ItemCategory.PERMIT, due_before="none"
)

# Labels by (code, relation): a passport reads differently for the candidate and for a child.
_LABELS: dict[tuple[str, str], Any] = {
    **{(spec.code, ""): spec.label for spec in (*COMMON, PERMIT_AMENDMENT)},
    **{(spec.code, ""): spec.label for specs in BY_KIND.values() for spec in specs},
    **{(spec.code, str(relation)): spec.label for relation, specs in BY_RELATION.items() for spec in specs},
}


def checklist_for_case(kind: str) -> tuple[ItemSpec, ...]:
    """The candidate's own items for a case of ``kind`` (shared items first, one line per code)."""
    seen: set[str] = set()
    items: list[ItemSpec] = []
    for spec in (*COMMON, *BY_KIND[kind]):
        if spec.code not in seen:
            seen.add(spec.code)
            items.append(spec)
    return tuple(items)


def checklist_for_member(relation: str) -> tuple[ItemSpec, ...]:
    """The items one accompanying family member of ``relation`` needs."""
    return BY_RELATION[relation]


def label_for(code: str, relation: str = "") -> str:
    """An item's wording in the active language (of a family member's item when ``relation`` is given;
    the code itself for an unknown one)."""
    label = _LABELS.get((code, relation)) or _LABELS.get((code, ""))
    return str(label) if label is not None else code
