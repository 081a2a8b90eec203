"""Matrix entries of the candidate self-service: the account pages and routes used before signing in,
the candidate's pages under /candidate/ and the /api/candidates/me routes.

Before signing in there is no owner: sign-up, verification and password reset are exempt, each with
its reason. Everything under /candidate/ and /api/candidates/me acts on the signed-in candidate's
own records, so both candidates are admitted to their own and everyone else is refused; routes that
name a record (a document, an application) admit only its owner, ``candidate``.

World objects, through the candidates services (``candidates`` and ``programmes`` entries run first):
``candidate_document`` (a pending PDF of ``candidate``); both candidates have given consent
``matched_hosts``; ``application`` (``candidate``'s draft, from the programmes entries).
"""

from __future__ import annotations

import base64
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from permission_matrix.harness import Endpoint, Exempt, World
from talentgate.candidates import services
from talentgate.candidates.consent_texts import CONSENT_TEXTS
from talentgate.canonical import ConsentPurpose

_NO_OWNER = "used before signing in; acts only on the account the e-mail address or the link names"
PDF = b"%PDF-1.4\n% matrix\n"
CONSENT_VERSION = CONSENT_TEXTS[ConsentPurpose.ANONYMISED_ANALYTICS].version

EXEMPT = [
    Exempt(r"^portal:account:(sign_up|sign_up_done|resend_verification)$", _NO_OWNER),
    Exempt(r"^portal:account:verify_email$", _NO_OWNER),
    Exempt(r"^portal:account:password_reset(_done|_confirm|_complete)?$", _NO_OWNER),
    Exempt(r"^api:accounts_(sign_up|verify_email|resend_verification)$", _NO_OWNER),
    Exempt(r"^api:accounts_(request|confirm)_password_reset$", _NO_OWNER),
]


def build(world: World) -> None:
    candidate, other = world.users["candidate"], world.users["other_candidate"]
    world.objects["candidate_document"] = services.upload_own_document(
        candidate, kind="cv", file=ContentFile(PDF, name="cv.pdf"), content_type="application/pdf"
    )
    for user, profile in ((candidate, world.obj("profile")), (other, world.obj("other_profile"))):
        services.give_consent(user, profile, ConsentPurpose.MATCHED_HOSTS.value, "2026-01")


BOTH = frozenset({"candidate", "other_candidate"})
OWNER = frozenset({"candidate"})


def _document(world: World) -> dict[str, int]:
    return {"document_id": world.obj("candidate_document").pk}


def _application(world: World) -> dict[str, int]:
    return {"application_id": world.obj("application").pk}


def _identity(world: World) -> dict[str, Any]:
    return {"given_names_latin": "Matrix", "date_of_birth": "1991-03-14", "sex": "female"}


def _wizard_identity(world: World) -> dict[str, Any]:
    return {
        "identity-given_names_latin": "Matrix",
        "identity-date_of_birth": "1991-03-14",
        "identity-sex": "female",
        "action": "save",
    }


def _upload(world: World) -> dict[str, Any]:
    return {"kind": "cv", "file": SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")}


API = [
    Endpoint("api:candidates_get_my_profile", BOTH),
    Endpoint("api:candidates_replace_my_profile", BOTH, method="PUT", body=lambda w: {"identity": _identity(w)}),
    Endpoint("api:candidates_update_my_profile", BOTH, method="PATCH", body=lambda w: {"skills": [{"phrase": "GNC"}]}),
    Endpoint("api:candidates_list_my_documents", BOTH),
    Endpoint(
        "api:candidates_upload_document",
        BOTH,
        method="POST",
        body=lambda w: {"kind": "cv", "file_name": "cv.pdf", "content_base64": base64.b64encode(PDF).decode()},
    ),
    Endpoint("api:candidates_download_document", OWNER, kwargs=_document),
    Endpoint("api:candidates_delete_document", OWNER, method="DELETE", kwargs=_document),
    Endpoint("api:candidates_list_my_consents", BOTH),
    Endpoint(
        "api:candidates_give_consent",
        BOTH,
        method="POST",
        body=lambda w: {"purpose": "anonymised_analytics", "version": CONSENT_VERSION},
    ),
    Endpoint("api:candidates_withdraw_consent", BOTH, method="DELETE", kwargs=lambda w: {"purpose": "matched_hosts"}),
    Endpoint("api:candidates_export_my_data", BOTH),
]

PAGES = [
    Endpoint("portal:candidate:dashboard", BOTH),
    Endpoint("portal:candidate:profile_step", BOTH, kwargs=lambda w: {"slug": "identity"}),
    Endpoint(
        "portal:candidate:profile_step",
        BOTH,
        method="POST",
        kwargs=lambda w: {"slug": "identity"},
        body=_wizard_identity,
    ),
    Endpoint(
        "portal:candidate:profile_validate",
        BOTH,
        method="POST",
        kwargs=lambda w: {"slug": "identity"},
        body=_wizard_identity,
    ),
    Endpoint("portal:candidate:documents", BOTH),
    Endpoint("portal:candidate:documents", BOTH, method="POST", body=_upload),
    Endpoint("portal:candidate:document_file", OWNER, kwargs=_document),
    Endpoint("portal:candidate:delete_document", OWNER, method="POST", kwargs=_document),
    Endpoint("portal:candidate:consents", BOTH),
    Endpoint(
        "portal:candidate:give_consent",
        BOTH,
        method="POST",
        kwargs=lambda w: {"purpose": "anonymised_analytics"},
        body=lambda w: {"version": CONSENT_VERSION},
    ),
    Endpoint("portal:candidate:withdraw_consent", BOTH, method="POST", kwargs=lambda w: {"purpose": "matched_hosts"}),
    Endpoint("portal:candidate:programmes", BOTH),
    Endpoint("portal:candidate:apply", BOTH, method="POST", kwargs=lambda w: {"programme_id": w.obj("programme").pk}),
    Endpoint("portal:candidate:applications", BOTH),
    Endpoint("portal:candidate:application", OWNER, kwargs=_application),
    Endpoint("portal:candidate:withdraw_application", OWNER, method="POST", kwargs=_application),
    Endpoint("portal:candidate:my_data", BOTH),
    Endpoint("portal:candidate:my_data_download", BOTH),
]

ENDPOINTS = API + PAGES
