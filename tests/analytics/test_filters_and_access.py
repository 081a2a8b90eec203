"""Periods parse as years, quarters and ranges; bad filters name their field; only analysts, supervisors and
administrators get figures or rows."""

from __future__ import annotations

import datetime as dt

import pytest

from talentgate.accounts.roles import Role
from talentgate.analytics import selectors, services
from talentgate.analytics.filters import parse_filters, parse_period
from talentgate.common.errors import PermissionRefused, ValidationFailed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", (dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
        ("2026-Q1", (dt.date(2026, 1, 1), dt.date(2026, 3, 31))),
        ("2026-q4", (dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
        ("2024-Q1", (dt.date(2024, 1, 1), dt.date(2024, 3, 31))),
        ("2026-02-01..2026-02-28", (dt.date(2026, 2, 1), dt.date(2026, 2, 28))),
    ],
)
def test_periods(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["26", "2026-Q5", "2026-02-30..2026-03-01", "2026-03-01..2026-02-01", "last year"])
def test_a_bad_period_names_the_field(text):
    with pytest.raises(ValidationFailed) as failed:
        parse_period(text)
    assert [(e.field, e.rule) for e in failed.value.errors] == [("period", "format")]


@pytest.mark.django_db
def test_unknown_codes_are_each_named(world):
    with pytest.raises(ValidationFailed) as failed:
        parse_filters("2026", sector="nope", bloc="nope", host="999999")
    assert [(e.field, e.rule) for e in failed.value.errors] == [
        ("sector", "unknown"),
        ("bloc", "unknown"),
        ("host", "unknown"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICER, Role.CANDIDATE, Role.HOST_ADMIN, Role.REVIEWER, Role.AUTHORITY])
def test_other_roles_get_neither_figures_nor_rows(make_user, world, role):
    actor = make_user(role)
    filters = parse_filters("2026")
    with pytest.raises(PermissionRefused):
        selectors.dashboard_for(actor, filters)
    with pytest.raises(PermissionRefused):
        services.export_case_rows(actor, filters)
    with pytest.raises(PermissionRefused):
        services.export_dashboard(actor, filters, "csv")


@pytest.mark.django_db
def test_the_filter_choices_offer_hosts_with_offers(analyst, world):
    choices = selectors.filter_choices_for(analyst)
    assert {label for _, label in choices["host"]} == {"Orbital Works", "Neural Labs"}
    assert ("test-bloc", "TB") in choices["bloc"]
