"""Opportunities are written by their organisation's staff and published only by verified organisations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from talentgate.accounts.roles import Role
from talentgate.common import audit
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.hosts import services
from talentgate.hosts.models import Opportunity, OpportunityLanguage, OpportunityOccupation, OpportunitySkill

pytestmark = pytest.mark.django_db

ESCO_OCCUPATION = "http://data.europa.eu/esco/occupation/0b2b6b4a-8b1a-4b1a-9d1a-0a1b2c3d4e5f"
ESCO_SKILL = "http://data.europa.eu/esco/skill/1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f"


def _rules(exc_info):
    return {(e.field, e.rule) for e in exc_info.value.errors}


def test_staff_create_a_draft_with_its_requirements(make_org, make_staff, sector):
    org, admin = make_org()
    staff = make_staff(org, admin)
    opportunity = services.create_opportunity(
        staff,
        title="GNC engineer",
        kind="position",
        country="ru",
        city="Moscow",
        sector_id=sector.pk,
        min_education_level=7,
        min_experience_years=3,
        capacity=2,
        salary_min=Decimal("250000"),
        salary_max="400000",
        salary_currency="rub",
        salary_period="month",
        application_deadline=dt.date(2099, 1, 31),
        start_date=dt.date(2099, 3, 1),
        occupations=[{"esco_uri": ESCO_OCCUPATION, "isco08_code": "2144", "label": "aerospace engineer"}],
        skills=[{"esco_uri": ESCO_SKILL, "label": "orbital mechanics"}, {"label": "MATLAB", "essential": False}],
        languages=[{"language": "RU", "min_level": "B2"}, {"language": "en", "min_level": "B1"}],
    )
    assert (opportunity.organisation, opportunity.status, opportunity.created_by) == (org, "draft", staff)
    assert (opportunity.salary_currency_id, opportunity.salary_max) == ("RUB", Decimal("400000"))
    assert list(opportunity.skills.values_list("label", "essential")) == [
        ("orbital mechanics", True),
        ("MATLAB", False),
    ]
    assert sorted(opportunity.languages.values_list("language", "min_level")) == [("en", "B1"), ("ru", "B2")]
    entry = AuditEntry.objects.filter(chain=audit.chain_for_organisation(org.pk)).last()
    assert entry.action == "opportunity.created"
    assert {"skills", "languages", "occupations", "salary_min"} <= set(entry.fields)


def test_every_bad_requirement_is_named_by_its_path_and_nothing_is_written(make_org):
    _, admin = make_org()
    with pytest.raises(ValidationFailed) as caught:
        services.create_opportunity(
            admin,
            title="",
            kind="position",
            country="RU",
            capacity=0,
            salary_min=500,
            salary_max=100,
            salary_currency="XYZ",
            salary_period="month",
            occupations=[{"label": "no code"}, {"esco_uri": "http://example.com/x", "label": "bad uri"}],
            skills=[{"label": "welding", "level": 3}],
            languages=[
                {"language": "ru", "min_level": "B1"},
                {"language": "RU", "min_level": "C1"},
                {"language": "xx", "min_level": "D1"},
            ],
        )
    rules = _rules(caught)
    assert {
        ("title", "blank"),
        ("capacity", "min_value"),
        ("salary_currency", "invalid"),
        ("occupations[0]", "occupation_code"),
        ("occupations[1].esco_uri", "esco_uri"),
        ("skills[0].level", "unknown_field"),
        ("languages[1].language", "unique"),
        ("languages[2].language", "language_code"),
        ("languages[2].min_level", "invalid_choice"),
    } <= rules
    assert Opportunity.objects.count() == 0
    assert (
        OpportunityOccupation.objects.count() + OpportunitySkill.objects.count() + OpportunityLanguage.objects.count()
        == 0
    )


def test_salary_range_and_dates_are_checked_together(make_org):
    _, admin = make_org()
    with pytest.raises(ValidationFailed) as caught:
        services.create_opportunity(
            admin,
            title="T",
            kind="fellowship",
            country="RU",
            salary_min=500,
            salary_max=100,
            salary_currency="RUB",
            salary_period="year",
            application_deadline=dt.date(2099, 5, 1),
            start_date=dt.date(2099, 4, 1),
        )
    assert _rules(caught) == {("", "salary_range"), ("", "deadline_after_start")}


def test_only_host_staff_create_opportunities(make_user):
    with pytest.raises(PermissionRefused):
        services.create_opportunity(make_user(Role.CANDIDATE), title="T", kind="position", country="RU")
    with pytest.raises(PermissionRefused):
        services.create_opportunity(make_user(Role.OFFICER), title="T", kind="position", country="RU")
    assert Opportunity.objects.count() == 0


def test_an_unverified_organisation_cannot_publish(make_org, make_opportunity):
    _, admin = make_org(verified=False)
    opportunity = make_opportunity(admin, publish=False)
    with pytest.raises(TransitionRefused) as caught:
        services.publish_opportunity(admin, opportunity.pk)
    (error,) = caught.value.errors
    assert (error.field, error.rule) == ("status", "organisation_verified")
    assert error.message == "publish needs the organisation to be verified by a programme officer"
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.published_at) == ("draft", None)


def test_a_verified_organisation_publishes_and_closes(make_org, make_opportunity):
    org, admin = make_org()
    opportunity = make_opportunity(admin, publish=False)
    published = services.publish_opportunity(admin, opportunity.pk)
    assert (published.status, published.published_at is not None) == ("published", True)
    with pytest.raises(TransitionRefused) as caught:
        services.publish_opportunity(admin, opportunity.pk)
    assert _rules(caught) == {("status", "source_state")}
    closed = services.close_opportunity(admin, opportunity.pk)
    assert closed.status == "closed"
    actions = list(
        AuditEntry.objects.filter(chain=audit.chain_for_organisation(org.pk)).values_list("action", flat=True)
    )
    assert actions[-2:] == ["opportunity.published", "opportunity.closed"]


def test_a_passed_deadline_blocks_publishing(make_org, make_opportunity):
    _, admin = make_org()
    opportunity = make_opportunity(admin, publish=False, application_deadline=dt.date(2001, 1, 1))
    with pytest.raises(TransitionRefused) as caught:
        services.publish_opportunity(admin, opportunity.pk)
    assert _rules(caught) == {("status", "deadline_not_passed")}


def test_another_organisation_cannot_touch_a_draft_or_publish_a_published_one(make_org, make_opportunity):
    _, admin = make_org()
    draft = make_opportunity(admin, publish=False)
    published = make_opportunity(admin)
    _, other_admin = make_org()
    with pytest.raises(NotFound):
        services.publish_opportunity(other_admin, draft.pk)
    with pytest.raises(NotFound):
        services.update_opportunity(other_admin, draft.pk, title="Hijacked")
    with pytest.raises(PermissionRefused):
        services.close_opportunity(other_admin, published.pk)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.title, draft.status, published.status) == ("Propulsion engineer", "draft", "published")


def test_update_replaces_a_requirement_list_and_keeps_the_others(make_org, make_opportunity):
    _, admin = make_org()
    opportunity = make_opportunity(admin)
    services.update_opportunity(
        admin, opportunity.pk, title="Senior propulsion engineer", languages=[{"language": "en", "min_level": "C1"}]
    )
    opportunity.refresh_from_db()
    assert opportunity.title == "Senior propulsion engineer"
    assert list(opportunity.languages.values_list("language", "min_level")) == [("en", "C1")]
    assert opportunity.occupations.count() == 1


def test_update_refuses_unknown_fields_status_and_closed_opportunities(make_org, make_opportunity):
    _, admin = make_org()
    opportunity = make_opportunity(admin)
    with pytest.raises(ValidationFailed) as caught:
        services.update_opportunity(admin, opportunity.pk, status="closed", capacity=-1)
    assert ("status", "unknown_field") in _rules(caught)
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.capacity) == ("published", 1)
    services.close_opportunity(admin, opportunity.pk)
    with pytest.raises(Conflict) as caught:
        services.update_opportunity(admin, opportunity.pk, title="Reopened?")
    assert _rules(caught) == {("status", "closed")}
