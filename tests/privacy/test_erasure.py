"""Erasure of one person: every refusal (rule named, nothing changed), and an erasure that keeps the audit
chains verifying and the analytics counts unchanged while the person disappears from host views."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.analytics import queries
from talentgate.analytics.filters import Filters
from talentgate.candidates.models import Profile
from talentgate.candidates.services import upload_own_document
from talentgate.cases import services as case_services
from talentgate.common import audit
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.hosts import selectors as host_selectors
from talentgate.privacy import services
from talentgate.privacy.models import ErasureReceipt, ErasureRequest, LegalHold
from talentgate.privacy.selectors import has_consent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _snapshot(profile: Profile) -> tuple:
    profile.refresh_from_db()
    return (
        profile.given_names_latin,
        profile.family_name_latin,
        profile.external_id,
        profile.email,
        ErasureReceipt.objects.count(),
        AuditEntry.objects.count(),
    )


def _refused(officer, profile, rule: str) -> None:
    before = _snapshot(profile)
    with pytest.raises(Conflict) as refused:
        services.erase_person(officer, profile.pk)
    assert refused.value.errors[0].rule == rule
    assert _snapshot(profile) == before


def test_refused_under_legal_hold_then_allowed_after_release(make_candidate, officer):
    _, profile = make_candidate()
    hold = services.place_legal_hold(officer, profile.pk, "Court order 12/2026")
    _refused(officer, profile, "legal_hold")
    services.release_legal_hold(officer, hold.pk)
    assert services.erase_person(officer, profile.pk).external_id.startswith("cand-")


def test_refused_while_case_awaits_the_authority(make_case, drive, officer):
    case, _ = make_case()
    case = drive(case, "submitted")
    _refused(officer, case.profile, "open_authority_decision")


def test_refused_within_reconsideration_window(make_case, drive, officer, authority):
    case, _ = make_case()
    case = drive(case, "submitted")
    case_services.refuse_permit(authority, case.pk, legal_ground="Law 115-FZ art. 18", reasons="Quota exhausted")
    _refused(officer, case.profile, "reconsideration_window")


def test_hold_needs_a_reason_and_only_staff_place_it(make_candidate, officer, make_user):
    user, profile = make_candidate()
    with pytest.raises(ValidationFailed) as bad:
        services.place_legal_hold(officer, profile.pk, "  ")
    assert bad.value.errors[0].field == "reason"
    with pytest.raises(PermissionRefused):
        services.place_legal_hold(user, profile.pk, "mine")
    assert not LegalHold.objects.exists()


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.HOST_ADMIN, Role.ANALYST, Role.AUTHORITY, Role.REVIEWER])
def test_only_officers_and_administrators_erase(make_candidate, make_user, role):
    _, profile = make_candidate()
    before = _snapshot(profile)
    with pytest.raises(PermissionRefused):
        services.erase_person(make_user(role), profile.pk)
    assert _snapshot(profile) == before


def test_erasure_keeps_chains_and_aggregates_and_hides_the_person(
    make_case, drive, officer, make_host, tmp_path, django_capture_on_commit_callbacks
):
    case, user = make_case()
    case = drive(case, "arrived")
    document = upload_own_document(
        user, kind="diploma", file=ContentFile(b"%PDF-1.7\n1 0 obj\n", name="d.pdf"), content_type="application/pdf"
    )
    stored = Path(tmp_path) / document.file.name
    assert stored.exists()
    _, host_admin, _ = make_host()
    profile = case.profile
    assert host_selectors.candidates_visible_to(host_admin).filter(pk=profile.pk).exists()
    today = timezone.localdate()
    filters = Filters(start=today - dt.timedelta(days=800), end=today + dt.timedelta(days=1))
    before = (
        queries.cases_by_stage_reached(filters),
        queries.arrivals_by_country(filters),
        queries.applications_by_status_reached(filters),
    )
    assert audit.verify() == []

    with django_capture_on_commit_callbacks(execute=True):  # files go once the erasure commits
        receipt = services.erase_person(officer, profile.pk)

    assert audit.verify() == []
    after = (
        queries.cases_by_stage_reached(filters),
        queries.arrivals_by_country(filters),
        queries.applications_by_status_reached(filters),
    )
    assert after == before
    profile.refresh_from_db()
    user.refresh_from_db()
    assert profile.given_names_latin == services.ERASED
    assert profile.family_name_latin == ""
    assert profile.date_of_birth == dt.date(1990, 1, 1)
    assert profile.external_id == f"erased-{profile.pk}"
    assert not user.is_active
    assert not user.has_usable_password()
    assert "erased.invalid" in user.email
    assert not stored.exists()
    assert receipt.files_removed >= 1
    assert receipt.method == services.ERASURE_METHOD
    assert not has_consent(profile, "matched_hosts")
    assert not host_selectors.candidates_visible_to(host_admin).filter(pk=profile.pk).exists()
    assert AuditEntry.objects.filter(action="person.erased", object_id=str(receipt.pk)).exists()
    # Nothing readable is left in the person's case messages or documents.
    assert not case.documents.exclude(file_name__in=["", services.ERASED]).exists()


def test_candidate_requests_and_officer_executes(make_candidate, officer):
    user, profile = make_candidate()
    request = services.request_erasure(user)
    assert services.request_erasure(user) == request  # asking again while it is open: the same request
    assert ErasureRequest.objects.count() == 1
    receipt = services.erase_person(officer, profile.pk, request_id=request.pk)
    request.refresh_from_db()
    assert request.status == "done"
    assert receipt.request == request


def test_request_for_someone_else_is_refused(make_candidate, officer):
    user_a, _ = make_candidate()
    _, b = make_candidate()
    request = services.request_erasure(user_a)
    before = _snapshot(b)
    with pytest.raises(ValidationFailed) as wrong:
        services.erase_person(officer, b.pk, request_id=request.pk)
    assert wrong.value.errors[0].field == "request_id"
    assert _snapshot(b) == before


def test_refusing_a_request_needs_a_reason(make_candidate, officer):
    user, _ = make_candidate()
    request = services.request_erasure(user)
    with pytest.raises(ValidationFailed):
        services.refuse_erasure_request(officer, request.pk, "")
    services.refuse_erasure_request(officer, request.pk, "Tax records must be kept")
    request.refresh_from_db()
    assert request.status == "refused"
    with pytest.raises(NotFound):
        services.erase_person(officer, 999_999)


def test_erasure_clears_the_name_search_key_and_the_blind_index(make_candidate, officer):
    from talentgate.candidates.identity_keys import document_indexes_for_number, name_search_filter
    from talentgate.candidates.models import IdentityDocument

    passport = {"kind": "passport", "number": "RU 7654321", "issuing_country": "RU"}
    _, profile = make_candidate(identity_documents=[passport])
    found = Profile.objects.filter(name_search_filter("Окафор"))
    assert list(found) == [profile]
    assert IdentityDocument.objects.filter(number_blind_index__in=document_indexes_for_number("RU7654321")).exists()

    services.erase_person(officer, profile.pk)

    profile.refresh_from_db()
    assert profile.name_search_key == ""
    assert not Profile.objects.filter(name_search_filter("Okafor")).exists()
    assert not Profile.objects.filter(name_search_filter("erased")).exists()
    assert list(IdentityDocument.objects.filter(profile=profile).values_list("number_blind_index", flat=True)) == [""]
    assert not IdentityDocument.objects.filter(number_blind_index__in=document_indexes_for_number("RU7654321")).exists()
