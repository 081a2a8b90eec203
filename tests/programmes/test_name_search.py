"""Searching applications by the candidate's name: any script, any case, common Russian romanisations,
through the stored search key; the same answers on SQLite and PostgreSQL (run with DATABASE_URL)."""

from __future__ import annotations

import json

import pytest

from talentgate.common.errors import ValidationFailed
from talentgate.programmes import selectors

pytestmark = pytest.mark.django_db

Q = selectors.ApplicationQuery


@pytest.fixture
def people(make_application):
    """Three applicants: one written in Latin only, one in Cyrillic only (Latin given as a transliteration of
    another kind), one unrelated."""
    latin, _ = make_application(
        "submitted", identity={"given_names_latin": "Yuri", "family_name_latin": "Ivanov", **_BORN}
    )
    native, _ = make_application(
        "submitted",
        identity={
            "given_names_latin": "Iurii",
            "family_name_latin": "Smirnov",
            "given_names_native": "Юрий",
            "family_name_native": "Смирнов",
            **_BORN,
        },
    )
    other, _ = make_application(
        "submitted", identity={"given_names_latin": "Amara", "family_name_latin": "Okafor", **_BORN}
    )
    return {"latin": latin, "native": native, "other": other}


_BORN = {"date_of_birth": "1990-04-12", "sex": "male"}


def _found(actor, name):
    return {a.pk for a in selectors.applications_matching(actor, Q(name=name))}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ivanov", {"latin"}),
        ("Иванов", {"latin"}),
        ("ИВАНОВ", {"latin"}),
        ("ivanov", {"latin"}),
        ("Iwanow", {"latin"}),
        ("Smirnov", {"native"}),
        ("смирнов", {"native"}),
        ("Yuri", {"latin", "native"}),
        ("Iurii", {"latin", "native"}),
        ("Юрий", {"latin", "native"}),
        ("юр", {"latin", "native"}),
        ("Yuri Smirnov", {"native"}),
        ("Смирнов Yuri", {"native"}),
        ("Okafor", {"other"}),
        ("Petrova", set()),
        ("vanov", set()),  # words are matched from their start
    ],
)
def test_names_match_across_scripts_and_case(people, officer, query, expected):
    assert _found(officer, query) == {people[key].pk for key in expected}


def test_an_empty_name_filters_nothing(people, officer):
    assert _found(officer, "  ") == {a.pk for a in people.values()}


def test_a_name_without_letters_or_too_long_is_refused_naming_the_field(officer):
    for name, rule in [("--", "no_letters"), ("a" * 201, "max_length")]:
        with pytest.raises(ValidationFailed) as caught:
            selectors.applications_matching(officer, Q(name=name))
        assert [(e.field, e.rule) for e in caught.value.errors] == [("name", rule)]


def test_a_candidate_searching_still_sees_only_their_own(people, make_application):
    _, owner = make_application(
        "submitted", identity={"given_names_latin": "Yuri", "family_name_latin": "Ivanova", **_BORN}
    )
    mine = {a.pk for a in selectors.applications_matching(owner, Q())}
    assert _found(owner, "Yuri") == mine


def test_the_api_list_filters_by_name(client, people, officer):
    client.force_login(officer)
    response = client.get("/api/programmes/applications", {"name": "Иванов"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == [people["latin"].pk]
    counts = client.get("/api/programmes/applications/stage-counts", {"name": "Юрий"}).json()["counts"]
    assert counts["submitted"] == 2
    bad = client.get("/api/programmes/applications", {"name": "?!"})
    assert bad.status_code == 400
    assert [(e["field"], e["rule"]) for e in json.loads(bad.content)["errors"]] == [("name", "no_letters")]
