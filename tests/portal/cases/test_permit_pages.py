"""Permit work after the grant on the case page (staff): a family member's permit, a renewal that supersedes the
old permit, a change of host on an offer accepted from another verified host, and a family member's identity
number; numbers stay masked on the page. Each is refused to others with nothing changed, and a bad field is
shown next to it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.cases import services
from talentgate.cases.models import Permit, RelocationCase
from talentgate.common.models import AuditEntry
from talentgate.hosts import services as hosts

pytestmark = pytest.mark.django_db

RU = {"HTTP_ACCEPT_LANGUAGE": "ru"}


def _url(case, view="case", **kwargs):
    return reverse(f"portal:cases:{view}", kwargs={"case_id": case.pk, **kwargs})


def _dates(**values):
    today = timezone.localdate()
    return values | {
        "issued_on": today.isoformat(),
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=700)).isoformat(),
    }


def _state(case):
    row = RelocationCase.objects.get(pk=case.pk)
    permits = sorted(Permit.objects.filter(case=case).values_list("pk", "status"))
    return row.version, row.organisation_id, permits, AuditEntry.objects.count()


@pytest.fixture
def granted_case(make_case, granted):
    case, candidate, admin = make_case()
    services.add_family_member(candidate, case.pk, relation="spouse", given_names_latin="Chidi")
    granted(case)
    return RelocationCase.objects.get(pk=case.pk), candidate, admin


def test_staff_see_the_permit_forms_and_record_a_family_permit_masked(client, officer, granted_case):
    case, _, _ = granted_case
    spouse = case.family.get()
    client.force_login(officer)
    page = client.get(_url(case)).content.decode()
    for heading in ("Record a family member's permit", "Record a renewal", "Record a change of host"):
        assert heading in page
    body = _dates(family_member=spouse.pk, permit_type="family_residence", number="FR-55-000111")
    assert client.post(_url(case, "record_family_permit"), body).status_code == 302
    assert case.permits.get(family_member=spouse).number == "FR-55-000111"
    assert "FR-55-000111" not in client.get(_url(case)).content.decode()


def test_a_family_permit_with_a_bad_field_is_shown_next_to_it(client, officer, granted_case):
    case, _, _ = granted_case
    spouse = case.family.get()
    before = _state(case)
    client.force_login(officer)
    body = _dates(family_member=spouse.pk, permit_type="family_residence", number="")
    refused = client.post(_url(case, "record_family_permit"), body)
    assert refused.status_code == 400
    assert 'id="family-permit-number_error"' in refused.content.decode()
    assert _state(case) == before


def test_a_renewal_supersedes_the_old_permit_and_a_bad_date_is_named(client, officer, granted_case):
    case, _, _ = granted_case
    old = case.permits.get(family_member=None)
    client.force_login(officer)
    before = _state(case)
    early = _dates(number="HQ-2") | {"valid_from": (old.valid_from - timedelta(days=3)).isoformat()}
    refused = client.post(_url(case, "renew_permit", permit_id=old.pk), early)
    assert refused.status_code == 400
    assert f'id="renewal-{old.pk}-valid_from_error"' in refused.content.decode()
    assert _state(case) == before
    assert client.post(_url(case, "renew_permit", permit_id=old.pk), _dates(number="HQ-2")).status_code == 302
    old.refresh_from_db()
    assert old.status == "superseded"


def test_a_change_of_host_needs_an_accepted_offer_from_another_verified_host(client, make_user, officer, granted_case):
    case, candidate, _ = granted_case
    admin = make_user(Role.HOST_ADMIN)
    organisation = hosts.register_organisation(admin, name="New Lab", kind="private_company", country="RU")
    hosts.verify_organisation(officer, organisation.pk)
    opportunity = hosts.create_opportunity(admin, title="Lab lead", kind="position", country="RU")
    hosts.publish_opportunity(admin, opportunity.pk)
    offer = hosts.make_offer(
        admin,
        opportunity_id=opportunity.pk,
        profile_id=case.profile_id,
        terms="New contract",
        expires_at=timezone.now() + timedelta(days=5),
    )
    client.force_login(officer)
    body = {"new_offer": offer.pk, "effective_on": timezone.localdate().isoformat(), "expected_version": case.version}
    before = _state(case)
    refused = client.post(_url(case, "change_host"), body)
    assert refused.status_code == 400
    assert 'id="host-change-new_offer_error"' in refused.content.decode()
    assert _state(case) == before
    hosts.accept_offer(candidate, offer.pk)
    case.refresh_from_db()
    body["expected_version"] = case.version
    assert client.post(_url(case, "change_host"), body).status_code == 302
    assert RelocationCase.objects.get(pk=case.pk).organisation == organisation


def test_staff_record_a_family_members_identity_number(client, officer, make_case):
    case, candidate, _ = make_case()
    spouse = services.add_family_member(candidate, case.pk, relation="spouse", given_names_latin="Chidi")
    client.force_login(officer)
    url = _url(case, "set_identity_number", member_id=spouse.pk)
    blank = client.post(url, {"identity_number": ""})
    assert blank.status_code == 400
    assert f'id="identity-{spouse.pk}-identity_number_error"' in blank.content.decode()
    assert client.post(url, {"identity_number": "P1234567"}).status_code == 302
    spouse.refresh_from_db()
    assert spouse.identity_number == "P1234567"
    assert "P1234567" not in client.get(_url(case)).content.decode()


def test_others_are_refused_the_permit_actions_and_nothing_changes(client, make_case, granted_case):
    case, candidate, admin = granted_case
    spouse, old = case.family.get(), case.permits.get(family_member=None)
    _, stranger, _ = make_case()
    before = _state(case)
    posts = [
        (
            _url(case, "record_family_permit"),
            _dates(family_member=spouse.pk, permit_type="family_residence", number="X1"),
        ),
        (_url(case, "renew_permit", permit_id=old.pk), _dates(number="X2")),
        (_url(case, "change_host"), {"new_offer": 1, "effective_on": timezone.localdate().isoformat()}),
        (_url(case, "set_identity_number", member_id=spouse.pk), {"identity_number": "X3"}),
    ]
    for url, body in posts:
        client.logout()
        anonymous = client.post(url, body)
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/login/")
        client.force_login(stranger)
        assert client.post(url, body).status_code == 404
        for person in (candidate, admin):
            client.force_login(person)
            assert client.post(url, body).status_code in (403, 404), url
    assert _state(case) == before


def test_the_permit_forms_render_in_russian(client, officer, granted_case):
    case, _, _ = granted_case
    client.force_login(officer)
    page = client.get(_url(case), **RU)
    assert page.status_code == 200
    assert '<html lang="ru">' in page.content.decode()


def test_an_early_departure_on_the_page_ends_the_permits_and_needs_its_date(client, officer, granted_case):
    case, _, _ = granted_case
    client.force_login(officer)
    assert "Record an early departure" in client.get(_url(case)).content.decode()
    url = _url(case, "transition", name="record_departure")
    before = _state(case)
    refused = client.post(url, {"expected_version": case.version, "reason": "Family reasons"})
    assert refused.status_code == 400
    assert 'id="transition-record-departure-departed_on_error"' in refused.content.decode()
    assert _state(case) == before
    body = {"expected_version": case.version, "reason": "Family reasons", "departed_on": timezone.localdate()}
    assert client.post(url, body).status_code == 302
    assert set(Permit.objects.filter(case=case).values_list("status", flat=True)) == {"ended"}


def test_the_permit_type_and_status_are_named_in_the_readers_language(client, officer, granted_case):
    case, _, _ = granted_case
    client.force_login(officer)
    page = client.get(_url(case), **RU).content.decode()
    start = page.index('id="permits"')
    table = page[start : page.index("</table>", start)]
    assert "<td>разрешение на работу высококвалифицированного специалиста</td>" in table
    assert "<td>действует" in table
    assert "<td>highly_qualified</td>" not in table
