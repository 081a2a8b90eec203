"""Assessment pages: each GET renders (English and Russian), valid POSTs act through the services, invalid ones
show the error next to the field and change nothing, refusals are 403/404; the chart is server-side SVG."""

from __future__ import annotations

import itertools
import re

import pytest
from django.test import Client
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.assessment import rounds, services
from talentgate.assessment.models import PolicyVersion, RoundInvitation, SelectionRound
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.common.models import Job
from talentgate.programmes import services as programme_services

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


def _payload(years):
    return {
        "id": f"page-cand-{next(_ids)}",
        "identity": {
            "given_names_latin": "Li",
            "date_of_birth": "1992-02-02",
            "sex": "male",
            "residence_country": "CN",
        },
        "education": [
            {"level": 8, "field_code": "0533", "institution": "USTC", "country": "CN", "graduation_year": 2019}
        ],
        "work_history": [
            {
                "title": "Physicist",
                "isco08_code": "2111",
                "sector": "space.research",
                "country": "CN",
                "start_date": f"{2026 - years}-03-01",
            }
        ],
        "language_tests": [
            {
                "test": "ielts_academic",
                "test_date": "2025-05-01",
                "listening": 7,
                "reading": 7,
                "writing": 6.5,
                "speaking": 6.5,
            }
        ],
    }


@pytest.fixture
def people(make_user):
    return {
        "officer": make_user(Role.OFFICER),
        "supervisor": make_user(Role.SUPERVISOR),
        "administrator": make_user(Role.ADMINISTRATOR),
        "stranger": make_user(Role.CANDIDATE),
        "host": make_user(Role.HOST_STAFF),
    }


@pytest.fixture
def programme(people):
    admin = people["administrator"]
    programme_services.create_priority_sector(admin, code="space", name_en="Space", name_ru="Космос")
    return programme_services.create_programme(admin, code="talent", name_en="Talent", name_ru="Таланты")


@pytest.fixture
def make_application(make_user, programme, people):
    def _make(until="submitted", years=6):
        owner = make_user(Role.CANDIDATE)
        profile, _ = save_profile(owner, CandidateProfile.model_validate(_payload(years)))
        give_consent(owner, profile, "authority_handoff", "1")
        application = programme_services.create_application(owner, programme_id=programme.pk)
        programme_services.submit_application(owner, application.pk)
        if until == "assessed":
            programme_services.start_screening(people["officer"], application.pk)
            programme_services.mark_application_assessed(people["officer"], application.pk)
        services.assess_application(owner, application.pk)
        return application, owner

    return _make


def _client(user=None, lang=None):
    client = Client(headers={"accept-language": lang} if lang else {})
    if user is not None:
        client.force_login(user)
    return client


def _url(name, *args):
    return reverse(f"portal:assessment:{name}", args=args)


def test_the_candidate_sees_their_score_explained_in_english_and_russian(make_application):
    application, owner = make_application()
    english = _client(owner).get(_url("my_scores"))
    assert english.status_code == 200
    assert "Profession sought in a priority sector" in english.content.decode()
    russian = _client(owner, "ru").get(_url("my_scores"))
    assert russian.status_code == 200
    assert "Профессия, востребованная в приоритетной отрасли" in russian.content.decode()
    assert _client(owner).get(_url("application", application.pk)).status_code == 200


def test_the_candidate_reads_group_names_not_policy_codes_and_staff_also_see_the_rule_codes(make_application, people):
    application, owner = make_application()
    english = _client(owner).get(_url("my_scores")).content.decode()
    assert "<td>Sought-after profession</td>" in english
    assert ">profession<" not in english  # the group's code
    assert "Rule applied" not in english
    russian = _client(owner, "ru").get(_url("my_scores")).content.decode()
    assert "<td>Востребованная профессия</td>" in russian
    staff = _client(people["officer"]).get(_url("application", application.pk)).content.decode()
    assert "<td>Sought-after profession</td>" in staff
    assert "Rule applied" in staff


def test_where_would_i_qualify_lists_every_published_policy(make_application, people):
    _application, owner = make_application()
    page = _client(owner, "ru").get(_url("qualify")).content.decode()
    assert "Программа привлечения талантов" in page
    assert page.count("<details>") == 5  # one per published policy
    assert _client(people["officer"]).get(_url("qualify")).status_code == 403


def test_someone_elses_scores_and_comparison_are_refused(make_application, people):
    application, _owner = make_application()
    external_id = application.profile.external_id
    stranger = _client(people["stranger"])
    assert stranger.get(_url("application", application.pk)).status_code == 404
    assert stranger.get(_url("compare", external_id)).status_code == 404
    assert _client(people["host"]).get(_url("my_scores")).status_code == 403
    anonymous = _client().get(_url("my_scores"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")


def test_officers_see_breakdowns_and_policies_side_by_side(make_application, people):
    application, _owner = make_application()
    officer = _client(people["officer"])
    assert "Assess now" in officer.get(_url("application", application.pk)).content.decode()
    response = officer.post(_url("assess", application.pk))
    assert response.status_code == 302
    page = officer.get(_url("compare", application.profile.external_id)).content.decode()
    for title in ("Comprehensive Ranking System", "Chancenkarte", "Highly Skilled", "merit assessment"):
        assert title in page


def _draft_text(version="2027-05-01"):
    text = PolicyVersion.objects.get(policy_id="programme-merit", version="2026-01-01").yaml_text
    return text.replace('version: "2026-01-01"', f'version: "{version}"').replace(
        "effective_from: 2026-01-01", "effective_from: 2027-05-01"
    )


def test_a_policy_draft_with_an_error_shows_it_next_to_the_field_and_saves_nothing(people):
    count = PolicyVersion.objects.count()
    response = _client(people["officer"]).post(
        _url("policy_create"), {"yaml_text": _draft_text().replace("max_total: 100", "max_total: -5")}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(
        r'id="id_yaml_text_error"[^>]*>\s*<li>line \d+: thresholds\[0\]\.min_total: threshold above max_total', page
    )
    assert 'aria-describedby="id_yaml_text_helptext id_yaml_text_error"' in page
    assert PolicyVersion.objects.count() == count


def test_live_validation_returns_the_field_fragment(people):
    fragment = _client(people["officer"]).post(
        _url("policy_validate"), {"yaml_text": "id: [unclosed"}, HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert text.lstrip().startswith('<div class="field" id="yaml-field">')
    assert "errorlist" in text


def test_policy_governance_through_the_pages(people, make_application, make_user):
    make_application()
    officer, supervisor = _client(people["officer"]), _client(people["supervisor"])
    created = officer.post(_url("policy_create"), {"yaml_text": _draft_text()})
    assert created.status_code == 302
    version = PolicyVersion.objects.get(version="2027-05-01")
    assert officer.post(_url("policy_review", version.pk)).status_code == 403  # the author
    assert supervisor.post(_url("policy_review", version.pk)).status_code == 302
    assert officer.post(_url("policy_impact", version.pk)).status_code == 302
    detail = officer.get(_url("policy", version.pk)).content.decode()
    assert "<svg" in detail
    assert "style=" not in detail
    assert "<script>" not in detail
    # A refused action (the shipped version still in force) comes back with the reason, nothing changed.
    other = _client(make_user(Role.SUPERVISOR))
    refused = other.post(_url("policy_publish", version.pk), follow=True)
    assert "no other published version" in refused.content.decode()
    version.refresh_from_db()
    assert version.status == "reviewed"
    assert _client(people["stranger"]).get(_url("policy", version.pk)).status_code == 404
    assert _client(people["stranger"]).get(_url("policies")).status_code == 200
    assert _client(people["officer"], "ru").get(_url("policies")).status_code == 200


def test_reassessing_the_pool_shows_the_job_and_its_progress_fragment(make_application, people, programme):
    make_application()
    officer = _client(people["officer"])
    assert officer.get(_url("reassess", programme.pk)).status_code == 200
    response = officer.post(_url("reassess", programme.pk), {"policy_id": ""})
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == _url("job", job.pk)
    fragment = officer.get(_url("job", job.pk), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="job-progress"' in fragment
    assert "hx-trigger" not in fragment  # finished: no more polling
    bad = officer.post(_url("reassess", programme.pk), {"policy_id": "nope"})
    assert bad.status_code == 400
    assert Job.objects.count() == 1
    assert _client(people["stranger"]).post(_url("reassess", programme.pk), {}).status_code == 403


def test_a_round_through_the_pages_runs_once(make_application, people, programme):
    for years in (2, 7, 11):
        make_application(until="assessed", years=years)
    officer, supervisor = _client(people["officer"]), _client(people["supervisor"])
    invalid = officer.post(
        _url("round_define"), {"programme_id": programme.pk, "name": "R", "policy_id": "programme-merit"}
    )
    assert invalid.status_code == 400
    assert "Give a number of invitations or a cutoff score." in invalid.content.decode()
    assert SelectionRound.objects.count() == 0
    created = officer.post(
        _url("round_define"),
        {"programme_id": programme.pk, "name": "R", "policy_id": "programme-merit", "invitations": 2},
    )
    selection_round = SelectionRound.objects.get()
    assert created["Location"] == _url("round", selection_round.pk)
    assert officer.post(_url("round_preview", selection_round.pk)).status_code == 302
    page = officer.get(_url("round", selection_round.pk)).content.decode()
    assert "<svg" in page
    assert "<rect" in page
    assert "stroke-dasharray" in page
    assert officer.post(_url("round_approve", selection_round.pk)).status_code == 403
    assert supervisor.post(_url("round_approve", selection_round.pk)).status_code == 302
    assert officer.post(_url("round_run", selection_round.pk)).status_code == 302
    again = officer.post(_url("round_run", selection_round.pk), follow=True)
    assert "already run" in again.content.decode()
    assert RoundInvitation.objects.count() == 2
    fairness = supervisor.get(_url("round_fairness", selection_round.pk), headers={"accept-language": "ru"})
    assert fairness.status_code == 200
    assert "Asia" in fairness.content.decode()
    assert _client(people["stranger"]).get(_url("round", selection_round.pk)).status_code == 403
    assert officer.get(_url("rounds")).status_code == 200
    assert rounds.round_fairness(people["officer"], selection_round.pk)["by_sex"][0]["group"] == "male"


def test_a_supervisor_sets_the_programme_policy_on_its_page_and_officers_only_read_it(people, programme):
    from talentgate.assessment import policies

    supervisor = _client(people["supervisor"])
    page = supervisor.get(_url("programme_policy", programme.pk))
    assert page.status_code == 200
    assert "programme-merit" in page.content.decode()
    response = supervisor.post(_url("programme_policy", programme.pk), {"policy_id": "japan-hsp"})
    assert response.status_code == 302
    assert policies.policy_id_for_programme(programme.pk) == "japan-hsp"
    bad = supervisor.post(_url("programme_policy", programme.pk), {"policy_id": "nope"})
    assert bad.status_code == 400
    assert "policy_id" in bad.content.decode()
    officer = _client(people["officer"])
    assert 'name="policy_id"' not in officer.get(_url("programme_policy", programme.pk)).content.decode()
    assert officer.post(_url("programme_policy", programme.pk), {"policy_id": "canada-crs"}).status_code == 403
    assert _client(people["stranger"]).get(_url("programme_policy", programme.pk)).status_code == 403
    assert policies.policy_id_for_programme(programme.pk) == "japan-hsp"
