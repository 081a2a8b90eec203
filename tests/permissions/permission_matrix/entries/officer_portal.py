"""Matrix entries of the officers' pages (/officer/) and the applications and verification API
(/api/programmes/ beyond the skeleton's read route).

Officer pages and staff routes admit programme staff only (a transition or a decision admits only
the roles its service allows); candidates and hosts are refused, and a candidate reaches only their
own application: ``other_candidate`` gets 404 on ``candidate``'s.

World objects, through the services (after the ``candidates``, ``hosts``, ``programmes`` entries):
``candidate``'s profile made ready to submit (education, a language test, consent
``authority_handoff``) and a pending ``officer_document`` on it; ``officer_programme`` with
``submitted_application`` (``candidate``'s, submitted); ``open_programme`` that nobody applied to;
``pending_organisation`` (registered by a host admin who is none of the actors, not yet verified).
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from permission_matrix.harness import PROGRAMME_STAFF, STAFF_WITHOUT_PERMISSIONS, Endpoint, World
from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user
from talentgate.candidates import selectors as candidate_selectors
from talentgate.candidates import services as candidate_services
from talentgate.canonical import CandidateProfile
from talentgate.hosts.services import register_organisation
from talentgate.programmes import services

CANDIDATES = frozenset({"candidate", "other_candidate"})
OWNER = frozenset({"candidate"})
#: Who runs the officer-only transitions (start_screening, mark_assessed, reject): the officer role.
OFFICERS = frozenset({"officer", STAFF_WITHOUT_PERMISSIONS})
#: Who decides on an organisation's verification: officers and supervisors (not administrators).
VERIFIERS = OFFICERS | {"supervisor"}

READY_PARTS = {
    "education": [{"level": 7, "institution": "MIPT", "country": "RU", "graduation_year": 2014, "field_name": "Aero"}],
    "language_tests": [
        {
            "test": "ielts_academic",
            "test_date": "2024-05-01",
            "language": "en",
            "listening": 7.5,
            "reading": 7,
            "writing": 6.5,
            "speaking": 7,
        }
    ],
}


def build(world: World) -> None:
    candidate, administrator = world.users["candidate"], world.users["administrator"]
    profile = world.obj("profile")
    ready = candidate_selectors.to_canonical(profile).model_dump(mode="json") | READY_PARTS
    candidate_services.save_profile(candidate, CandidateProfile.model_validate(ready))
    candidate_services.give_consent(candidate, profile, "authority_handoff", "1")
    world.objects["officer_document"] = candidate_services.add_document(
        candidate, profile, kind="diploma", file=ContentFile(b"%PDF-1.4\n% diploma\n", name="diploma.pdf")
    )
    programme = services.create_programme(administrator, code="matrix-officer", name_en="Officer matrix programme")
    world.objects["officer_programme"] = programme
    application = services.create_application(candidate, programme_id=programme.pk)
    world.objects["submitted_application"] = services.submit_application(candidate, application.pk)
    world.objects["open_programme"] = services.create_programme(administrator, code="matrix-open", name_en="Open")
    host_admin = create_user(None, email="pending.admin@matrix.test", password="pw-Matrix-12345", role=Role.HOST_ADMIN)
    world.objects["pending_organisation"] = register_organisation(
        host_admin, name="Matrix Pending Works", kind="private_company", country="RU"
    )


def _submitted(world: World) -> dict[str, Any]:
    return {"application_id": world.obj("submitted_application").pk}


def _draft(world: World) -> dict[str, Any]:
    return {"application_id": world.obj("application").pk}


def _document(world: World) -> dict[str, Any]:
    return {"application_id": world.obj("submitted_application").pk, "document_id": world.obj("officer_document").pk}


def _organisation(world: World) -> dict[str, Any]:
    return {"organisation_id": world.obj("pending_organisation").pk}


API = [
    Endpoint("api:programmes_list_applications", CANDIDATES | PROGRAMME_STAFF),
    Endpoint("api:programmes_count_applications_by_stage", CANDIDATES | PROGRAMME_STAFF),
    Endpoint(
        "api:programmes_create_application",
        CANDIDATES,
        method="POST",
        body=lambda w: {"programme_id": w.obj("open_programme").pk},
    ),
    Endpoint("api:programmes_submit_application", OWNER, method="POST", kwargs=_draft),
    Endpoint("api:programmes_withdraw_application", OWNER, method="POST", kwargs=_draft, body=lambda w: {}),
    Endpoint("api:programmes_list_application_transitions", OWNER | PROGRAMME_STAFF, kwargs=_submitted),
    Endpoint(
        "api:programmes_transition_application",
        OFFICERS,
        method="POST",
        kwargs=lambda w: _submitted(w) | {"transition": "start_screening"},
        body=lambda w: {"expected_status": "submitted"},
    ),
    Endpoint(
        "api:programmes_bulk_transition_applications",
        PROGRAMME_STAFF,
        method="POST",
        body=lambda w: {"transition": "start_screening", "application_ids": [w.obj("submitted_application").pk]},
    ),
    Endpoint("api:programmes_list_application_history", OWNER | PROGRAMME_STAFF, kwargs=_submitted),
    Endpoint("api:programmes_list_application_documents", OWNER | PROGRAMME_STAFF, kwargs=_submitted),
    Endpoint("api:programmes_verify_application_document", PROGRAMME_STAFF, method="POST", kwargs=_document),
    Endpoint(
        "api:programmes_reject_application_document",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=_document,
        body=lambda w: {"rejection_reason": "Unreadable scan"},
    ),
    Endpoint("api:programmes_list_organisation_verifications", PROGRAMME_STAFF),
    Endpoint(
        "api:programmes_verify_host_organisation",
        VERIFIERS,
        method="POST",
        kwargs=_organisation,
        body=lambda w: {"note": "Registry checked"},
    ),
    Endpoint(
        "api:programmes_reject_host_organisation",
        VERIFIERS,
        method="POST",
        kwargs=_organisation,
        body=lambda w: {"reason": "Not a registered company"},
    ),
]

PAGES = [
    Endpoint("portal:officer:queue", PROGRAMME_STAFF),
    Endpoint(
        "portal:officer:bulk",
        PROGRAMME_STAFF,
        method="POST",
        body=lambda w: {"application": [w.obj("submitted_application").pk], "action": "start_screening"},
    ),
    Endpoint("portal:officer:application", PROGRAMME_STAFF, kwargs=_submitted),
    Endpoint(
        "portal:officer:transition",
        OFFICERS,
        method="POST",
        kwargs=lambda w: _submitted(w) | {"name": "start_screening"},
        body=lambda w: {"expected_status": "submitted"},
    ),
    Endpoint("portal:officer:verify_document", PROGRAMME_STAFF, method="POST", kwargs=_document),
    Endpoint(
        "portal:officer:reject_document",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=_document,
        body=lambda w: {"rejection_reason": "Unreadable scan"},
    ),
    Endpoint("portal:officer:organisations", PROGRAMME_STAFF),
    Endpoint(
        "portal:officer:verify_organisation",
        VERIFIERS,
        method="POST",
        kwargs=_organisation,
        body=lambda w: {"note": "Registry checked"},
    ),
    Endpoint(
        "portal:officer:reject_organisation",
        VERIFIERS,
        method="POST",
        kwargs=_organisation,
        body=lambda w: {"reason": "Not a registered company"},
    ),
    Endpoint(
        "portal:officer:validate",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: {"form_key": "reject-document", "field_name": "rejection_reason"},
        body=lambda w: {"rejection_reason": ""},
    ),
]

ENDPOINTS = API + PAGES
