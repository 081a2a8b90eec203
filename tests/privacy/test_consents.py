"""Consent by purpose: the selectors everyone reads, and what a withdrawal stops at once."""

from __future__ import annotations

import pytest

from talentgate.candidates.services import give_consent, withdraw_consent
from talentgate.cases import services as case_services
from talentgate.cases.guards import has_handoff_consent
from talentgate.common.errors import TransitionRefused
from talentgate.hosts import selectors as host_selectors
from talentgate.privacy.selectors import has_consent, people_consenting_to, people_withdrawn_from

pytestmark = pytest.mark.django_db


def test_has_consent_follows_give_and_withdraw(make_candidate):
    user, profile = make_candidate()
    assert has_consent(profile, "matched_hosts")
    assert has_consent(user, "matched_hosts")
    assert not has_consent(profile, "anonymised_analytics")
    withdraw_consent(user, profile, "matched_hosts")
    assert not has_consent(profile, "matched_hosts")
    assert profile in people_withdrawn_from("matched_hosts")
    give_consent(user, profile, "matched_hosts", "2026-01")
    assert has_consent(profile, "matched_hosts")
    assert profile not in people_withdrawn_from("matched_hosts")
    # History kept: two rows, the first withdrawn.
    assert profile.consents.filter(purpose="matched_hosts").count() == 2


def test_people_consenting_to_lists_only_those_in_force(make_candidate):
    user_a, a = make_candidate()
    user_b, b = make_candidate()
    give_consent(user_a, a, "anonymised_analytics", "2026-01")
    give_consent(user_b, b, "anonymised_analytics", "2026-01")
    withdraw_consent(user_b, b, "anonymised_analytics")
    assert set(people_consenting_to("anonymised_analytics")) == {a}
    assert set(people_withdrawn_from("anonymised_analytics")) == {b}


def test_unknown_purpose_is_refused_not_read_as_no_consent(make_candidate):
    _, profile = make_candidate()
    with pytest.raises(ValueError, match="marketing"):
        has_consent(profile, "marketing")


def test_withdrawal_hides_profile_from_hosts_at_once_even_after_applying(make_case, make_host):
    case, user = make_case()  # applied to the programme and consented to matched hosts
    _, host_admin, _ = make_host()
    profile = case.profile
    assert host_selectors.candidates_visible_to(host_admin).filter(pk=profile.pk).exists()
    withdraw_consent(user, profile, "matched_hosts")
    assert not host_selectors.candidates_visible_to(host_admin).filter(pk=profile.pk).exists()
    assert not host_selectors.is_open_to_hosts(profile)
    give_consent(user, profile, "matched_hosts", "2026-01")
    assert host_selectors.is_open_to_hosts(profile)


def test_handoff_guard_reads_current_consent(make_case, drive, officer):
    case, user = make_case()
    case = drive(case, "approved")
    assert has_handoff_consent(case)
    withdraw_consent(user, case.profile, "authority_handoff")
    assert not has_handoff_consent(case)
    with pytest.raises(TransitionRefused):
        case_services.submit_to_authority(officer, case.pk)
    case.refresh_from_db()
    assert case.stage == "approved"
