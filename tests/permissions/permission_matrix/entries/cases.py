"""Matrix entries of relocation cases: the API (/api/cases/) and the pages (/cases/).

Programme staff see every case; ``candidate`` their own (``other_candidate`` gets 404 on it); host staff of
organisation A the case of their hire but not its personal parts (403 on the checklist, documents, family,
permits and decisions); ``other_host_*`` nothing (404); the authority only cases handed to it (the world's
case is still 'opened': 404); reviewers and analysts list no cases at all (403).

World objects, through the services (after the ``hosts`` entries): ``case`` (``candidate``'s, opened by
accepting an offer of organisation A for a role of its own, so the hosts entries' offer stays open) with a
pending ``case_document`` (a file), a non-document ``case_item``, a family member ``case_member`` with an
identity number, and an open ``case_request`` to the candidate; ``rejected_case`` (``candidate``'s, rejected
by ``officer``) with its ``rejection``; ``permit_case`` (of a permit holder made here, not an actor, so
``candidate`` keeps one case under way), driven to 'permit_granted' with the holder's ``holder_permit``, a
spouse ``permit_member`` and a ``new_host_offer`` the holder accepted from organisation B.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from permission_matrix.harness import ALL_SIGNED_IN, PROGRAMME_STAFF, STAFF_WITHOUT_PERMISSIONS, Endpoint, World
from talentgate.cases import reconsideration, requests, services
from talentgate.cases.models import RelocationCase
from talentgate.hosts import services as hosts

OWNER = frozenset({"candidate"})
HOST_A = frozenset({"host_admin", "host_staff"})
#: Who sees the case itself: its candidate, its host's staff, programme staff.
SEES_CASE = OWNER | HOST_A | PROGRAMME_STAFF
#: Who reads the case file (checklist, documents, family, permits, decisions): its candidate and programme staff.
READS_FILE = OWNER | PROGRAMME_STAFF
#: Who may list cases at all (reviewers and analysts read no personal case rows).
LISTS_CASES = ALL_SIGNED_IN - {"reviewer", "analyst"}
#: The officer role runs transitions (the clerk holds it); administrators see cases but do not move them.
OFFICERS = frozenset({"officer", "supervisor", STAFF_WITHOUT_PERMISSIONS})
#: withdraw: the case's candidate or an officer.
WITHDRAWERS = OWNER | OFFICERS


def _opened_case(world: World, title: str) -> RelocationCase:
    admin = world.users["host_admin"]
    opportunity = hosts.create_opportunity(admin, title=title, kind="position", country="RU", capacity=1)
    hosts.publish_opportunity(admin, opportunity.pk)
    offer = hosts.make_offer(
        admin,
        opportunity_id=opportunity.pk,
        profile_id=world.obj("profile").pk,
        terms="Two-year contract.",
        expires_at=timezone.now() + timedelta(days=30),
    )
    hosts.accept_offer(world.users["candidate"], offer.pk)
    return RelocationCase.objects.get(offer=offer)


def _permit_holder_case(world: World) -> RelocationCase:
    """A case of a new candidate (not an actor) driven through the services to 'permit_granted'."""
    from talentgate.accounts.roles import Role
    from talentgate.accounts.services import create_user
    from talentgate.candidates.services import give_consent, save_profile
    from talentgate.canonical import CandidateProfile

    officer, supervisor, authority = world.users["officer"], world.users["supervisor"], world.users["authority"]
    holder = create_user(None, email="permit.holder@matrix.test", password="pw-Matrix-12345", role=Role.CANDIDATE)
    identity = {
        "given_names_latin": "Nia",
        "family_name_latin": "Holder",
        "date_of_birth": "1988-02-03",
        "sex": "female",
        "residence_country": "KE",
    }
    profile, _ = save_profile(
        holder, CandidateProfile.model_validate({"id": "matrix-permit-holder", "identity": identity})
    )
    give_consent(holder, profile, "authority_handoff", "1")
    give_consent(holder, profile, "matched_hosts", "1")
    admin = world.users["host_admin"]
    opportunity = hosts.create_opportunity(admin, title="Matrix permit role", kind="position", country="RU")
    hosts.publish_opportunity(admin, opportunity.pk)
    offer = hosts.make_offer(
        admin,
        opportunity_id=opportunity.pk,
        profile_id=profile.pk,
        terms="Two-year contract.",
        expires_at=timezone.now() + timedelta(days=30),
    )
    hosts.accept_offer(holder, offer.pk)
    case = RelocationCase.objects.get(offer=offer)
    world.objects["permit_member"] = services.add_family_member(
        holder, case.pk, relation="spouse", given_names_latin="Omar"
    )
    for item in case.checklist.filter(required=True).exclude(document_kind="").filter(completed_at__isnull=True):
        services.add_document(
            officer,
            case.pk,
            kind=item.document_kind,
            family_member_id=item.family_member_id,
            file=ContentFile(b"%PDF-1.4\n% matrix\n", name=f"{item.code}.pdf"),
            expires_on=timezone.localdate() + timedelta(days=700),
        )
    for document in case.documents.filter(status="pending"):
        services.verify_document(supervisor, document.pk)
    services.prepare(officer, case.pk)
    services.approve(supervisor, case.pk, legal_ground="Decree 1")
    services.submit_to_authority(officer, case.pk)
    today = timezone.localdate()
    permit = services.PermitIn("highly_qualified", "HQ-77-424242", today, today, today + timedelta(days=1000))
    services.grant_permit(authority, case.pk, permit=permit, legal_ground="Law 115-FZ art. 13.2")
    # An offer the holder accepted from organisation B: what a change of host needs.
    other_admin = world.users["other_host_admin"]
    elsewhere = hosts.create_opportunity(other_admin, title="Matrix new host role", kind="position", country="RU")
    hosts.publish_opportunity(other_admin, elsewhere.pk)
    new_offer = hosts.make_offer(
        other_admin,
        opportunity_id=elsewhere.pk,
        profile_id=profile.pk,
        terms="New contract.",
        expires_at=timezone.now() + timedelta(days=30),
    )
    world.objects["new_host_offer"] = hosts.accept_offer(holder, new_offer.pk)
    case.refresh_from_db()
    world.objects["holder_permit"] = case.permits.get(family_member=None)
    return case


def build(world: World) -> None:
    officer, candidate = world.users["officer"], world.users["candidate"]
    # A person has one case under way at a time, so the rejected ones come first.
    rejected = _opened_case(world, "Matrix rejected role")
    services.reject(officer, rejected.pk, reason="Outside the programme", legal_ground="Decree 1")
    rejected.refresh_from_db()
    world.objects["rejected_case"] = rejected
    # A second rejected case whose reconsideration waits for review (by anyone but the officer who rejected).
    reviewed = _opened_case(world, "Matrix reconsidered role")
    services.reject(officer, reviewed.pk, reason="Outside the programme", legal_ground="Decree 1")
    world.objects["reconsideration"] = reconsideration.request_reconsideration(
        candidate, reviewed.decisions.get().pk, grounds="Please look again."
    )
    world.objects["rejection"] = rejected.decisions.get()
    case = _opened_case(world, "Matrix relocation role")
    world.objects["case_document"] = services.add_document(
        officer, case.pk, kind="photo", file=ContentFile(b"%PDF-1.4\n% photo\n", name="photo.pdf")
    )
    world.objects["case_item"] = case.checklist.filter(document_kind="").first()
    world.objects["case_member"] = services.add_family_member(
        candidate, case.pk, relation="spouse", given_names_latin="Chidi", identity_number="A12345678"
    )
    world.objects["case_request"] = requests.request_information(
        officer,
        case.pk,
        addressee="candidate",
        question="Your diploma, please.",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    case.refresh_from_db()
    world.objects["case"] = case
    world.objects["permit_case"] = _permit_holder_case(world)


def _case(world: World) -> dict[str, Any]:
    return {"case_id": world.obj("case").pk}


def _document(world: World) -> dict[str, Any]:
    return _case(world) | {"document_id": world.obj("case_document").pk}


def _item(world: World) -> dict[str, Any]:
    return _case(world) | {"item_id": world.obj("case_item").pk}


def _withdraw(world: World) -> dict[str, Any]:
    return {"expected_version": world.obj("case").version, "reason": "Family reasons"}


def _rejection(world: World) -> dict[str, Any]:
    return {"case_id": world.obj("rejected_case").pk, "decision_id": world.obj("rejection").pk}


def _permit_case(world: World) -> dict[str, Any]:
    return {"case_id": world.obj("permit_case").pk}


def _permit_dates(**values: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return values | {
        "issued_on": today.isoformat(),
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=700)).isoformat(),
    }


#: Who records permits: programme staff and the immigration authority.
PERMIT_WRITERS = PROGRAMME_STAFF | {"authority"}


def _reveal(world: World) -> dict[str, Any]:
    return {"field": "family_identity_number", "object_id": world.obj("case_member").pk}


API = [
    Endpoint("api:cases_list_cases", LISTS_CASES),
    Endpoint("api:cases_count_cases_by_stage", LISTS_CASES),
    Endpoint(
        "api:cases_bulk_transition_cases",
        PROGRAMME_STAFF,
        method="POST",
        body=lambda w: {"transition": "withdraw", "case_ids": [w.obj("case").pk], "reason": "Bulk"},
    ),
    Endpoint("api:cases_get_case", SEES_CASE, kwargs=_case),
    Endpoint("api:cases_list_case_history", SEES_CASE, kwargs=_case),
    Endpoint("api:cases_list_case_transitions", SEES_CASE, kwargs=_case),
    Endpoint(
        "api:cases_transition_case",
        WITHDRAWERS,
        method="POST",
        kwargs=lambda w: _case(w) | {"transition": "withdraw"},
        body=_withdraw,
    ),
    Endpoint("api:cases_list_case_checklist", READS_FILE, kwargs=_case),
    Endpoint("api:cases_complete_checklist_item", READS_FILE, method="POST", kwargs=_item),
    Endpoint("api:cases_reopen_checklist_item", PROGRAMME_STAFF, method="POST", kwargs=_item),
    Endpoint("api:cases_list_case_documents", READS_FILE, kwargs=_case),
    Endpoint(
        "api:cases_upload_case_document",
        READS_FILE,
        method="POST",
        kwargs=_case,
        body=lambda w: {"kind": "medical", "file_name": "medical.pdf", "content_base64": "JVBERi0xLjQK"},
    ),
    Endpoint("api:cases_download_case_document", READS_FILE, kwargs=_document),
    Endpoint("api:cases_verify_case_document", PROGRAMME_STAFF, method="POST", kwargs=_document),
    Endpoint(
        "api:cases_reject_case_document",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=_document,
        body=lambda w: {"reason": "Unreadable scan"},
    ),
    Endpoint("api:cases_list_case_family", READS_FILE, kwargs=_case),
    Endpoint(
        "api:cases_add_case_family_member",
        READS_FILE,
        method="POST",
        kwargs=_case,
        body=lambda w: {"relation": "child", "given_names_latin": "Ada", "date_of_birth": "2018-03-01"},
    ),
    Endpoint("api:cases_list_case_permits", READS_FILE, kwargs=_case),
    Endpoint("api:cases_reveal_case_field", PROGRAMME_STAFF, method="POST", kwargs=_case, body=_reveal),
    Endpoint(
        "api:cases_record_family_permit",
        PERMIT_WRITERS,
        method="POST",
        kwargs=_permit_case,
        body=lambda w: _permit_dates(
            permit_type="family_residence", number="FR-1", family_member_id=w.obj("permit_member").pk
        ),
    ),
    Endpoint(
        "api:cases_renew_case_permit",
        PERMIT_WRITERS,
        method="POST",
        kwargs=lambda w: _permit_case(w) | {"permit_id": w.obj("holder_permit").pk},
        body=lambda w: _permit_dates(number="HQ-2"),
    ),
    Endpoint(
        "api:cases_change_case_host",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=_permit_case,
        body=lambda w: {"new_offer_id": w.obj("new_host_offer").pk, "effective_on": timezone.localdate().isoformat()},
    ),
    Endpoint(
        "api:cases_set_family_identity_number",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: _case(w) | {"member_id": w.obj("case_member").pk},
        body=lambda w: {"identity_number": "B7654321"},
    ),
    Endpoint("api:cases_list_case_decisions", READS_FILE, kwargs=lambda w: {"case_id": w.obj("rejected_case").pk}),
    Endpoint("api:cases_download_decision_letter", READS_FILE, kwargs=_rejection),
    Endpoint("api:cases_list_information_requests", SEES_CASE, kwargs=_case),
    Endpoint(
        "api:cases_ask_for_information",
        OFFICERS,
        method="POST",
        kwargs=_case,
        body=lambda w: {
            "addressee": "candidate",
            "question": "Your police clearance, please.",
            "due_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    ),
    Endpoint(
        "api:cases_answer_information_request",
        OWNER,
        method="POST",
        kwargs=lambda w: _case(w) | {"request_id": w.obj("case_request").pk},
        body=lambda w: {"body": "Uploaded today."},
    ),
    Endpoint(
        "api:cases_withdraw_information_request",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: _case(w) | {"request_id": w.obj("case_request").pk},
        body=lambda w: {"reason": "No longer needed."},
    ),
    Endpoint("api:cases_list_case_messages", SEES_CASE, kwargs=_case),
    Endpoint(
        "api:cases_post_case_message",
        SEES_CASE,
        method="POST",
        kwargs=_case,
        body=lambda w: {"body": "When is the flight?", "audience": "candidate"},
    ),
    Endpoint(
        "api:cases_request_reconsideration",
        OWNER,
        method="POST",
        kwargs=_rejection,
        body=lambda w: {"grounds": "My contract was signed."},
    ),
    Endpoint(
        "api:cases_review_reconsideration",
        frozenset({"supervisor", STAFF_WITHOUT_PERMISSIONS}),
        method="POST",
        kwargs=lambda w: {
            "case_id": w.obj("reconsideration").case_id,
            "reconsideration_id": w.obj("reconsideration").pk,
        },
        body=lambda w: {"outcome": "upheld", "reasons": "The grounds change nothing."},
    ),
]

PAGES = [
    Endpoint("portal:cases:list", LISTS_CASES),
    Endpoint(
        "portal:cases:bulk",
        PROGRAMME_STAFF,
        method="POST",
        body=lambda w: {"case": [w.obj("case").pk], "action": "prepare"},
    ),
    Endpoint("portal:cases:case", SEES_CASE, kwargs=_case),
    Endpoint(
        "portal:cases:transition",
        WITHDRAWERS,
        method="POST",
        kwargs=lambda w: _case(w) | {"name": "withdraw"},
        body=_withdraw,
    ),
    Endpoint("portal:cases:complete_item", READS_FILE, method="POST", kwargs=_item),
    Endpoint(
        "portal:cases:upload_document",
        READS_FILE,
        method="POST",
        kwargs=_case,
        body=lambda w: {
            "kind": "medical",
            "file": SimpleUploadedFile("medical.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
        },
    ),
    Endpoint("portal:cases:document_file", READS_FILE, kwargs=_document),
    Endpoint("portal:cases:verify_document", PROGRAMME_STAFF, method="POST", kwargs=_document),
    Endpoint(
        "portal:cases:reject_document",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=_document,
        body=lambda w: {"reason": "Unreadable scan"},
    ),
    Endpoint("portal:cases:reveal", PROGRAMME_STAFF, method="POST", kwargs=_case, body=_reveal),
    Endpoint(
        "portal:cases:record_family_permit",
        PERMIT_WRITERS,
        method="POST",
        kwargs=_permit_case,
        body=lambda w: _permit_dates(
            permit_type="family_residence", number="FR-1", family_member=w.obj("permit_member").pk
        ),
    ),
    Endpoint(
        "portal:cases:renew_permit",
        PERMIT_WRITERS,
        method="POST",
        kwargs=lambda w: _permit_case(w) | {"permit_id": w.obj("holder_permit").pk},
        body=lambda w: _permit_dates(number="HQ-2"),
    ),
    Endpoint(
        "portal:cases:change_host",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=_permit_case,
        body=lambda w: {"new_offer": w.obj("new_host_offer").pk, "effective_on": timezone.localdate().isoformat()},
    ),
    Endpoint(
        "portal:cases:set_identity_number",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: _case(w) | {"member_id": w.obj("case_member").pk},
        body=lambda w: {"identity_number": "B7654321"},
    ),
    Endpoint(
        "portal:cases:ask",
        frozenset({"officer", "supervisor", STAFF_WITHOUT_PERMISSIONS}),
        method="POST",
        kwargs=_case,
        body=lambda w: {
            "addressee": "candidate",
            "question": "Your police clearance, please.",
            "due_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    ),
    Endpoint(
        "portal:cases:answer",
        OWNER,
        method="POST",
        kwargs=lambda w: _case(w) | {"request_id": w.obj("case_request").pk},
        body=lambda w: {"body": "Uploaded today."},
    ),
    Endpoint(
        "portal:cases:withdraw_request",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: _case(w) | {"request_id": w.obj("case_request").pk},
        body=lambda w: {"reason": "No longer needed."},
    ),
    Endpoint(
        "portal:cases:add_family_member",
        READS_FILE,
        method="POST",
        kwargs=_case,
        body=lambda w: {"relation": "child", "given_names_latin": "Ada", "date_of_birth": "2018-03-01"},
    ),
    Endpoint(
        "portal:cases:message",
        SEES_CASE,
        method="POST",
        kwargs=_case,
        body=lambda w: {"body": "When is the flight?", "audience": "candidate"},
    ),
    Endpoint(
        "portal:cases:reconsider",
        OWNER,
        method="POST",
        kwargs=lambda w: {"case_id": w.obj("rejected_case").pk, "decision_id": w.obj("rejection").pk},
        body=lambda w: {"grounds": "My contract was signed."},
    ),
    Endpoint(
        "portal:cases:review_reconsideration",
        frozenset({"supervisor", STAFF_WITHOUT_PERMISSIONS}),
        method="POST",
        kwargs=lambda w: {
            "case_id": w.obj("reconsideration").case_id,
            "reconsideration_id": w.obj("reconsideration").pk,
        },
        body=lambda w: {"outcome": "upheld", "reasons": "The grounds change nothing."},
    ),
    Endpoint("portal:cases:letter", READS_FILE, kwargs=_rejection),
    Endpoint(
        "portal:cases:validate",
        LISTS_CASES,
        method="POST",
        kwargs=lambda w: {"form_key": "reject-document", "field_name": "reason"},
        body=lambda w: {"reason": ""},
    ),
]

ENDPOINTS = API + PAGES
