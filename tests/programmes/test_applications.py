"""The application lifecycle: guarded transitions that name the failed condition, history rows, audit, concurrency."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Document, Profile
from talentgate.candidates.services import verify_document, withdraw_consent
from talentgate.common import audit
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.programmes import services
from talentgate.programmes.models import Application, ApplicationTransition

pytestmark = pytest.mark.django_db

PASSPORT = [{"kind": "passport", "file_name": "passport.pdf"}]


def _rules(exc_info):
    return {(e.field, e.rule) for e in exc_info.value.errors}


def _snapshot(application):
    """Everything a refused transition must leave untouched."""
    row = Application.objects.get(pk=application.pk)
    return (row.status, row.submitted_at, row.status_changed_at, row.history.count(), AuditEntry.objects.count())


def _refused(exc_info):
    (error,) = exc_info.value.errors
    return error.rule, error.message


def test_a_candidate_starts_one_draft_per_programme(make_candidate, programme, sector):
    owner, profile = make_candidate()
    application = services.create_application(owner, programme_id=programme.pk, sector_preference_id=sector.pk)
    assert (application.profile, application.status, application.sector_preference) == (profile, "draft", sector)
    with pytest.raises(Conflict) as caught:
        services.create_application(owner, programme_id=programme.pk)
    assert _rules(caught) == {("programme_id", "unique")}
    services.withdraw_application(owner, application.pk)
    again = services.create_application(owner, programme_id=programme.pk)  # allowed after withdrawing
    assert again.status == "draft"
    assert Application.objects.filter(profile=profile).count() == 2


def test_only_candidates_with_a_profile_apply_to_visible_programmes(make_user, make_candidate, programme, configurer):
    with pytest.raises(PermissionRefused):
        services.create_application(make_user(Role.OFFICER), programme_id=programme.pk)
    with pytest.raises(Conflict) as caught:
        services.create_application(make_user(Role.CANDIDATE), programme_id=programme.pk)
    assert _rules(caught) == {("profile", "missing")}
    owner, _ = make_candidate()
    with pytest.raises(ValidationFailed) as caught:
        services.create_application(owner, programme_id=programme.pk, sector_preference_id=99999)
    assert _rules(caught) == {("sector_preference", "invalid")}
    services.update_programme(configurer, programme.pk, active=False)
    with pytest.raises(NotFound):
        services.create_application(owner, programme_id=programme.pk)
    assert Application.objects.count() == 0


def test_submit_moves_to_submitted_with_a_history_row_and_an_audit_entry(make_application):
    application, owner = make_application()
    submitted = services.submit_application(owner, application.pk)
    assert (submitted.status, submitted.submitted_at is not None) == ("submitted", True)
    (row,) = ApplicationTransition.objects.filter(application=application)
    assert (row.transition, row.from_state, row.to_state, row.actor, row.reason) == (
        "submit",
        "draft",
        "submitted",
        owner,
        "",
    )
    assert row.at == submitted.status_changed_at
    entry = AuditEntry.objects.filter(chain=audit.chain_for_person(owner.pk)).last()
    assert (entry.action, entry.object_id, entry.fields) == (
        "application.submit",
        str(application.pk),
        ["status", "submitted_at"],
    )


@pytest.mark.parametrize(
    ("missing", "rule", "message"),
    [
        ("education", "profile_education", "submit needs at least one education entry on the profile"),
        ("language_tests", "profile_language_test", "submit needs at least one language test result on the profile"),
        ("consents", "consent_authority_handoff", "submit needs consent 'authority_handoff' given"),
    ],
)
def test_submit_names_the_missing_part_of_the_profile(make_application, missing, rule, message):
    application, owner = make_application(without=(missing,))
    before = _snapshot(application)
    with pytest.raises(TransitionRefused) as caught:
        services.submit_application(owner, application.pk)
    assert _refused(caught) == (rule, message)
    assert str(caught.value) == f"status: {message} [{rule}]"
    assert _snapshot(application) == before


def test_submit_needs_an_identity(make_application):
    application, owner = make_application()
    Profile.objects.filter(pk=application.profile_id).update(given_names_latin=" ")
    with pytest.raises(TransitionRefused) as caught:
        services.submit_application(owner, application.pk)
    assert _refused(caught) == (
        "profile_identity",
        "submit needs the profile's identity filled in (names and date of birth)",
    )


def test_a_withdrawn_consent_blocks_submission(make_application):
    application, owner = make_application()
    withdraw_consent(owner, application.profile, "authority_handoff")
    with pytest.raises(TransitionRefused) as caught:
        services.submit_application(owner, application.pk)
    assert _refused(caught)[0] == "consent_authority_handoff"


def test_an_inactive_programme_takes_no_submissions(make_application, configurer, programme):
    application, owner = make_application()
    services.update_programme(configurer, programme.pk, active=False)
    with pytest.raises(TransitionRefused) as caught:
        services.submit_application(owner, application.pk)
    assert _refused(caught) == ("programme_active", "submit needs the programme to be active")


def test_only_the_owner_submits(make_application, make_candidate, officer):
    application, _ = make_application()
    stranger, _ = make_candidate()
    before = _snapshot(application)
    with pytest.raises(NotFound):
        services.submit_application(stranger, application.pk)
    with pytest.raises(PermissionRefused) as caught:
        services.submit_application(officer, application.pk)
    assert _refused(caught) == ("owner", "submit needs the candidate who owns the application")
    assert _snapshot(application) == before


def test_screening_is_started_by_an_officer_only(make_application, officer, supervisor, make_user):
    application, owner = make_application(until="submitted")
    before = _snapshot(application)
    for actor in (owner, supervisor, make_user(Role.ADMINISTRATOR)):
        with pytest.raises(PermissionRefused) as caught:
            services.start_screening(actor, application.pk)
        assert _refused(caught) == ("role", "start_screening needs the programme officer role")
    assert _snapshot(application) == before
    assert services.start_screening(officer, application.pk).status == "screening"


def test_assessment_waits_for_pending_documents_to_be_screened(make_application, officer, make_user):
    application, _ = make_application(until="screening", documents=PASSPORT)
    before = _snapshot(application)
    with pytest.raises(TransitionRefused) as caught:
        services.mark_application_assessed(officer, application.pk)
    assert _refused(caught) == (
        "documents_screened",
        "mark_assessed needs screening done: no document of the profile still pending verification",
    )
    assert _snapshot(application) == before
    verify_document(make_user(Role.OFFICER), Document.objects.get(profile=application.profile))
    assert services.mark_application_assessed(officer, application.pk).status == "assessed"


def test_four_eyes_keeps_the_assessor_from_inviting(make_application, officer, supervisor, configurer, programme):
    services.update_programme(configurer, programme.pk, four_eyes=True)
    application, _ = make_application(until="assessed")
    with pytest.raises(PermissionRefused) as caught:
        services.invite_applicant(officer, application.pk)  # the same officer marked it assessed
    assert _refused(caught) == ("four_eyes", "invite needs a different person from the one who marked it assessed")
    assert services.invite_applicant(supervisor, application.pk).status == "invited"


def test_without_four_eyes_the_assessor_may_invite(make_application, officer):
    application, _ = make_application(until="assessed")
    assert services.invite_applicant(officer, application.pk).status == "invited"


def test_candidates_cannot_invite_or_match_themselves(make_application):
    application, owner = make_application(until="invited")
    with pytest.raises(NotFound):
        services.invite_applicant(owner, application.pk + 1000)
    with pytest.raises(PermissionRefused):
        services.mark_application_matched(owner, application.pk)
    assert Application.objects.get(pk=application.pk).status == "invited"


def test_the_whole_path_is_recorded_in_order(make_application, officer, supervisor):
    application, owner = make_application(until="matched")
    history = list(application.history.order_by("at", "pk").values_list("from_state", "to_state", "actor"))
    assert history == [
        ("draft", "submitted", owner.pk),
        ("submitted", "screening", officer.pk),
        ("screening", "assessed", officer.pk),
        ("assessed", "invited", supervisor.pk),
        ("invited", "matched", officer.pk),
    ]
    assert audit.verify() == []


@pytest.mark.parametrize("state", ["draft", "submitted", "screening", "assessed", "invited", "matched"])
def test_the_owner_withdraws_from_any_open_state(make_application, state):
    application, owner = make_application(until=state)
    withdrawn = services.withdraw_application(owner, application.pk, reason="accepted another offer")
    assert withdrawn.status == "withdrawn"
    last = application.history.order_by("-pk").first()
    assert (last.from_state, last.to_state, last.reason) == (state, "withdrawn", "accepted another offer")


def test_a_closed_application_cannot_move_again(make_application, officer):
    application, owner = make_application(until="submitted")
    services.reject_application(officer, application.pk, reason="outside the programme's scope")
    before = _snapshot(application)
    with pytest.raises(TransitionRefused) as caught:
        services.withdraw_application(owner, application.pk)
    assert _refused(caught) == ("source_state", "withdraw is not possible from status 'rejected'")
    assert _snapshot(application) == before


def test_reject_needs_an_officer_a_reason_and_a_submitted_application(make_application, officer, supervisor):
    draft, _ = make_application()
    with pytest.raises(TransitionRefused) as caught:
        services.reject_application(officer, draft.pk, reason="incomplete")
    assert _refused(caught)[0] == "source_state"
    application, _ = make_application(until="assessed")
    before = _snapshot(application)
    with pytest.raises(ValidationFailed) as caught:
        services.reject_application(officer, application.pk, reason="  ")
    assert _rules(caught) == {("reason", "required")}
    with pytest.raises(PermissionRefused):
        services.reject_application(supervisor, application.pk, reason="no")
    assert _snapshot(application) == before
    rejected = services.reject_application(officer, application.pk, reason="scores below the threshold")
    assert rejected.status == "rejected"
    entry = AuditEntry.objects.filter(object_id=str(application.pk), action="application.reject").get()
    assert entry.reason == "scores below the threshold"


def test_two_officers_cannot_both_move_one_application(make_application, officer, make_user):
    application, _ = make_application(until="submitted")
    first = Application.objects.get(pk=application.pk)
    second = Application.objects.get(pk=application.pk)
    services.transition_application(officer, first, "start_screening")
    with pytest.raises(Conflict) as caught:
        services.transition_application(officer, second, "reject", reason="late")
    assert _rules(caught) == {("status", "concurrent_transition")}
    assert Application.objects.get(pk=application.pk).status == "screening"
    assert list(application.history.values_list("to_state", flat=True)) == ["submitted", "screening"]


def test_status_cannot_be_set_by_hand(make_application):
    application, _ = make_application()
    with pytest.raises(AttributeError):
        application.status = "matched"
