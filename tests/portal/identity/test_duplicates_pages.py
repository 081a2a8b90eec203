"""The duplicates queue pages: officers and supervisors see suspicions, compare the two people, dismiss with a
reason and merge; a refused merge shows the rule on the page and changes nothing; others are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile
from talentgate.identity import detection
from talentgate.identity.models import DuplicateSuspicion
from talentgate.privacy.services import place_legal_hold

pytestmark = pytest.mark.django_db

QUEUE = reverse("portal:identity:queue")


@pytest.fixture
def pair():
    people = []
    for index, family in enumerate(["Ivanova", "Иванова"]):
        payload = {
            "id": f"page-dup-{index}",
            "identity": {
                "given_names_latin": "Maria",
                "family_name_latin": "Ivanova",
                "family_name_native": family if index else "",
                "date_of_birth": "1993-03-03",
                "sex": "female",
            },
        }
        people.append(save_profile(None, CandidateProfile.model_validate(payload))[0])
    (suspicion,) = detection.detect_duplicates(people[1].pk)
    return people, suspicion


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR])
def test_staff_see_the_queue_and_the_pair_side_by_side(client, make_user, pair, role):
    _people, suspicion = pair
    client.force_login(make_user(role))
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert list(queue.context["rows"]) == [suspicion]
    page = client.get(reverse("portal:identity:suspicion", args=[suspicion.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Иванова" in html
    assert "the same date of birth and a similar name" in html


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.HOST_ADMIN, Role.ANALYST, Role.ADMINISTRATOR])
def test_other_roles_are_refused(client, make_user, pair, role):
    _people, suspicion = pair
    client.force_login(make_user(role))
    assert client.get(QUEUE).status_code == 403
    assert client.get(reverse("portal:identity:suspicion", args=[suspicion.pk])).status_code == 403
    assert client.post(reverse("portal:identity:dismiss", args=[suspicion.pk]), {"reason": "x"}).status_code == 403
    assert DuplicateSuspicion.objects.get().status == "open"


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_dismissal_without_a_reason_is_shown_and_changes_nothing(client, make_user, pair):
    _people, suspicion = pair
    client.force_login(make_user(Role.OFFICER))
    response = client.post(reverse("portal:identity:dismiss", args=[suspicion.pk]), {"reason": ""})
    assert response.status_code == 409
    assert [(e.field, e.rule) for e in response.context["errors"]] == [("reason", "required")]
    assert DuplicateSuspicion.objects.get().status == "open"
    done = client.post(reverse("portal:identity:dismiss", args=[suspicion.pk]), {"reason": "Sisters"})
    assert done.status_code == 302
    assert DuplicateSuspicion.objects.get().status == "dismissed"


def test_a_blocked_merge_names_the_rule_then_a_merge_goes_through(client, make_user, pair):
    (low, high), suspicion = pair
    officer = make_user(Role.OFFICER)
    client.force_login(officer)
    hold = place_legal_hold(officer, low.pk, "Audit 2026")
    page = client.get(reverse("portal:identity:suspicion", args=[suspicion.pk]))
    assert [b.rule for b in page.context["blockers"]] == ["legal_hold"]
    refused = client.post(reverse("portal:identity:merge", args=[suspicion.pk]), {"survivor_id": low.pk})
    assert refused.status_code == 409
    assert [(e.field, e.rule) for e in refused.context["errors"]] == [("profile", "legal_hold")]
    assert Profile.objects.get(pk=high.pk).merged_into_id is None
    hold.released_at = hold.placed_at
    hold.save(update_fields=["released_at"])
    missing = client.post(reverse("portal:identity:merge", args=[suspicion.pk]), {"survivor_id": ""})
    assert [(e.field, e.rule) for e in missing.context["errors"]] == [("survivor_id", "required")]
    merged = client.post(reverse("portal:identity:merge", args=[suspicion.pk]), {"survivor_id": low.pk})
    assert merged.status_code == 302
    assert Profile.objects.get(pk=high.pk).merged_into_id == low.pk


@pytest.mark.parametrize(
    ("role", "shown"), [(Role.OFFICER, True), (Role.SUPERVISOR, True), (Role.ADMINISTRATOR, False)]
)
def test_the_header_links_the_queue_for_those_who_work_it(client, make_user, role, shown):
    client.force_login(make_user(role))
    html = client.get(reverse("portal:home"), follow=True).content.decode()
    assert (f'href="{QUEUE}"' in html) is shown
