"""Selection rounds: defined by an officer, previewed as a what-if, approved by another person (a supervisor),
run once (running twice invites nobody twice), and a fairness report by world region and sex."""

from __future__ import annotations

import pytest

from talentgate.assessment import rounds, services
from talentgate.assessment.models import RoundInvitation, RoundStatus
from talentgate.common.errors import Conflict, PermissionRefused, TransitionRefused, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed_pool(make_application, officer):
    """Five assessed applications with known programme-merit totals (the profession group differs by years)."""
    made = []
    for years, sex, country in (
        (1, "female", "KZ"),
        (3, "male", "NG"),
        (8, "female", "BR"),
        (8, "male", "IN"),
        (12, "female", "DE"),
    ):
        application, _owner = make_application(until="assessed", years=years, sex=sex, country=country)
        services.assess_application(officer, application.pk)
        made.append(application)
    return made


def _define(officer, programme, **extra):
    fields = {"programme_id": programme.pk, "name": "Draw 1", "policy_id": "programme-merit", **extra}
    if "cutoff" not in extra and "invitations" not in extra:
        fields["invitations"] = 3
    return rounds.define_round(officer, **fields)


def test_a_round_ranks_by_total_and_breaks_ties_by_submission_time(assessed_pool, officer, programme):
    selection_round = _define(officer, programme)
    pool, not_assessed = rounds.ranked_pool(selection_round)
    assert not_assessed == 0
    ids = [row["application"] for row in pool]
    # years 8, 8 and 12 all reach the profession cap: equal totals, in submission order.
    assert ids[:3] == [assessed_pool[2].pk, assessed_pool[3].pk, assessed_pool[4].pk]
    assert ids[3:] == [assessed_pool[1].pk, assessed_pool[0].pk]


def test_define_refuses_bad_fields_naming_them_and_writes_nothing(officer, programme):
    from talentgate.assessment.models import SelectionRound

    with pytest.raises(ValidationFailed) as refused:
        rounds.define_round(officer, programme_id=programme.pk, name="x", policy_id="programme-merit", category="nope")
    assert {(e.field, e.rule) for e in refused.value.errors} == {
        ("category", "unknown_category"),
        ("invitations", "invitations_or_cutoff"),
    }
    with pytest.raises(ValidationFailed) as refused:
        rounds.define_round(
            officer, programme_id=programme.pk, name="x", policy_id="programme-merit", invitations=2, cutoff=50
        )
    assert refused.value.errors[0].field == "cutoff"
    with pytest.raises(ValidationFailed) as refused:
        rounds.define_round(officer, programme_id=programme.pk, name="x", policy_id="programme-merit", invitations=0)
    assert refused.value.errors[0].rule == "min_value"
    assert SelectionRound.objects.count() == 0


def test_preview_shows_the_what_if(assessed_pool, officer, programme, sector):
    selection_round = rounds.preview_round(officer, _define(officer, programme).pk)
    preview = selection_round.preview
    assert selection_round.status == RoundStatus.PREVIEWED
    assert (preview["pool"], preview["invited"]) == (5, 3)
    assert preview["cutoff"] == rounds.ranked_pool(selection_round)[0][2]["total"]
    assert sum(b["invited"] for b in preview["histogram"]) == 3
    assert preview["by_sector"] == [{"sector": "unknown", "pool": 5, "invited": 3}]


def test_a_cutoff_round_invites_everyone_at_or_above_it(assessed_pool, officer, programme):
    top = rounds.ranked_pool(_define(officer, programme))[0][0]["total"]
    selection_round = rounds.preview_round(officer, _define(officer, programme, cutoff=top).pk)
    assert selection_round.preview["invited"] == 3
    assert selection_round.preview["cutoff"] == top


def test_approval_needs_a_supervisor_who_did_not_define_the_round(assessed_pool, officer, supervisor, programme):
    defined_by_supervisor = rounds.preview_round(supervisor, _define(supervisor, programme).pk)
    with pytest.raises(PermissionRefused) as refused:
        rounds.approve_round(supervisor, defined_by_supervisor.pk)
    assert refused.value.errors[0].rule == "four_eyes"
    selection_round = _define(officer, programme)
    with pytest.raises(TransitionRefused):
        rounds.approve_round(supervisor, selection_round.pk)  # not previewed yet
    rounds.preview_round(officer, selection_round.pk)
    with pytest.raises(PermissionRefused):
        rounds.approve_round(officer, selection_round.pk)
    approved = rounds.approve_round(supervisor, selection_round.pk)
    assert (approved.status, approved.approved_by) == (RoundStatus.APPROVED, supervisor)


def test_running_invites_once_and_running_again_invites_nobody(
    assessed_pool, officer, supervisor, second_officer, programme
):
    selection_round = _define(officer, programme)
    rounds.preview_round(officer, selection_round.pk)
    with pytest.raises(TransitionRefused):
        rounds.run_round(officer, selection_round.pk)  # not approved
    rounds.approve_round(supervisor, selection_round.pk)
    ran = rounds.run_round(second_officer, selection_round.pk)
    assert ran.status == RoundStatus.RUN
    assert ran.result["invited"] == 3
    assert ran.result["skipped"] == []
    invited = {a.pk for a in assessed_pool[2:]}
    assert set(RoundInvitation.objects.values_list("application_id", flat=True)) == invited
    for application in assessed_pool:
        application.refresh_from_db()
        assert application.status == ("invited" if application.pk in invited else "assessed")
    with pytest.raises(Conflict) as refused:
        rounds.run_round(second_officer, selection_round.pk)
    assert refused.value.errors[0].rule == "already_run"
    # A second round draws only from those still assessed.
    second = _define(officer, programme, invitations=10)
    rounds.preview_round(officer, second.pk)
    rounds.approve_round(supervisor, second.pk)
    assert rounds.run_round(officer, second.pk).result["invited"] == 2
    assert RoundInvitation.objects.count() == 5


def test_four_eyes_refusals_are_reported_and_leave_no_invitation(assessed_pool, officer, supervisor, programme):
    programme.four_eyes = True
    programme.save(update_fields=["four_eyes"])
    selection_round = _define(officer, programme)
    rounds.preview_round(officer, selection_round.pk)
    rounds.approve_round(supervisor, selection_round.pk)
    # The officer marked every application assessed, so under four-eyes they may not invite them.
    ran = rounds.run_round(officer, selection_round.pk)
    assert ran.result["invited"] == 0
    assert {s["rule"] for s in ran.result["skipped"]} == {"four_eyes"}
    assert RoundInvitation.objects.count() == 0


def test_fairness_report_by_world_region_and_sex(assessed_pool, officer, supervisor, programme):
    selection_round = _define(officer, programme)
    with pytest.raises(Conflict):
        rounds.round_fairness(officer, selection_round.pk)
    rounds.preview_round(officer, selection_round.pk)
    rounds.approve_round(supervisor, selection_round.pk)
    rounds.run_round(officer, selection_round.pk)
    report = rounds.round_fairness(supervisor, selection_round.pk)
    by_sex = {row["group"]: row for row in report["by_sex"]}
    assert by_sex["female"]["pool"]["count"] == 3
    assert by_sex["male"]["pool"]["count"] == 2
    assert by_sex["female"]["invited"]["count"] + by_sex["male"]["invited"]["count"] == 3
    regions = {row["group"] for row in report["by_region"]}
    assert regions == {"Asia", "Africa", "Americas", "Europe"}
