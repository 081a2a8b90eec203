"""Export of one person's data: own data only for a candidate, audited for staff, JSON and PDF."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from talentgate.accounts.roles import Role
from talentgate.cases.models import Permit, RelocationCase
from talentgate.common.errors import NotFound
from talentgate.common.models import AuditEntry
from talentgate.privacy.export import _field_line, _list_heading, export_for, export_json, export_pdf

pytestmark = pytest.mark.django_db


def _identity_document(profile, number="AB1234567"):
    from talentgate.candidates.models import IdentityDocument

    return IdentityDocument.objects.create(
        profile=profile, kind="passport", number=number, issuing_country="NG", expires_on="2031-01-01"
    )


def test_candidate_exports_everything_about_themself_decrypted(make_case, drive):
    case, user = make_case()
    case = drive(case, "approved")
    _identity_document(case.profile)
    document = export_for(user)
    assert document["person"]["profile_id"] == case.profile.pk
    assert document["account"]["email"] == user.email
    assert "password" not in document["account"]
    records = document["records"]
    assert [row["number"] for row in records["candidates.identitydocument:identity_documents"]] == ["AB1234567"]
    (exported_case,) = records["cases.relocationcase:cases"]
    assert exported_case["id"] == case.pk
    assert [t["to_stage"] for t in exported_case["cases.casetransition:history"]] == [
        "opened",
        "prepared",
        "approved",
    ]
    assert {d["kind"] for d in exported_case["cases.decision:decisions"]} == {"approval"}
    assert {c["purpose"] for c in records["candidates.consent:consents"]} == {"authority_handoff", "matched_hosts"}
    assert records["programmes.application:applications"][0]["programmes.applicationtransition:history"]
    assert any(e["chain"] == f"case:{case.pk}" for e in document["audit_entries"])
    json.loads(export_json(document))
    assert export_pdf(document).startswith(b"%PDF")


def test_candidate_cannot_export_someone_else(make_candidate):
    user_a, _ = make_candidate()
    _, b = make_candidate()
    before = AuditEntry.objects.count()
    with pytest.raises(NotFound):
        export_for(user_a, b.pk)
    assert AuditEntry.objects.count() == before


def test_staff_export_is_audited_and_masked(make_candidate, make_user):
    _, profile = make_candidate()
    _identity_document(profile)
    officer = make_user(Role.OFFICER)
    document = export_for(officer, profile.pk)
    (identity,) = document["records"]["candidates.identitydocument:identity_documents"]
    assert identity["number"] != "AB1234567"
    assert identity["number"].endswith("67")
    # The derived lookup columns stay out: the blind index is a keyed hash of the number.
    assert "number_blind_index" not in identity
    assert "name_search_key" not in json.dumps(document)
    entry = AuditEntry.objects.filter(action="personal_data.exported").latest("pk")
    assert entry.actor_id == officer.pk
    assert entry.object_id == str(profile.pk)


@pytest.mark.parametrize("role", [Role.HOST_ADMIN, Role.ANALYST, Role.AUTHORITY])
def test_other_roles_cannot_export(make_candidate, make_user, role):
    _, profile = make_candidate()
    before = AuditEntry.objects.count()
    with pytest.raises(NotFound):
        export_for(make_user(role), profile.pk)
    assert AuditEntry.objects.count() == before


def test_the_pdf_names_fields_and_choices_in_the_readers_language():
    with translation.override("ru"):
        assert _list_heading("cases.relocationcase:cases") == ("Дела о переезде", RelocationCase)
        assert _field_line(Permit, "valid_until", "2027-01-31") == ("Действует до", "2027-01-31")
        assert _field_line(RelocationCase, "stage", "approved")[1] != "approved"
        assert _field_line(RelocationCase, "opened_at", None) == ("Открыто", "—")
    with translation.override("en"):
        assert _field_line(Permit, "valid_until", "2027-01-31") == ("Valid until", "2027-01-31")
        assert _list_heading("not.amodel:things") == ("not.amodel:things", None)
