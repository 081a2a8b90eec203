"""Officers' reads and bulk writes on applications: queue filters, stage counts, transition options, stale requests,
bulk moves with a result per application, and the organisation verification queue."""

from __future__ import annotations

from datetime import date

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Document
from talentgate.common.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.hosts.services import register_organisation
from talentgate.programmes import selectors, services
from talentgate.programmes.models import Application, ApplicationTransition

pytestmark = pytest.mark.django_db

Q = selectors.ApplicationQuery


def _rules(caught):
    return {(e.field, e.rule) for e in caught.value.errors}


def test_candidates_list_only_their_own_and_staff_list_all(make_application, officer):
    mine, owner = make_application()
    make_application()
    assert list(selectors.applications_matching(owner, Q())) == [mine]
    assert selectors.applications_matching(officer, Q()).count() == 2


@pytest.mark.parametrize("role", [Role.HOST_ADMIN, Role.HOST_STAFF, Role.REVIEWER, Role.AUTHORITY, Role.ANALYST])
def test_roles_without_personal_rows_are_refused_rather_than_shown_nothing(make_user, role):
    with pytest.raises(PermissionRefused):
        selectors.applications_matching(make_user(role), Q())
    with pytest.raises(PermissionRefused):
        selectors.application_stage_counts(make_user(role), Q())


def test_a_bad_query_names_every_field(officer):
    query = Q(
        stages=("lost",),
        sort="salary",
        residence_country="india",
        submitted_from=date(2025, 2, 1),
        submitted_to=date(2025, 1, 1),
        programme_id=999,
        sector_id=999,
    )
    with pytest.raises(ValidationFailed) as caught:
        selectors.applications_matching(officer, query)
    assert _rules(caught) == {
        ("status", "choice"),
        ("sort", "choice"),
        ("residence_country", "country_code"),
        ("submitted_to", "date_order"),
        ("programme_id", "not_found"),
        ("sector_id", "not_found"),
    }


def test_stage_counts_cover_every_status_and_ignore_the_stage_filter(make_application, officer):
    make_application(until="submitted")
    make_application(until="submitted")
    make_application(until="screening")
    make_application()
    counts = selectors.application_stage_counts(officer, Q(stages=("screening",)))
    assert counts == {
        "draft": 1,
        "submitted": 2,
        "screening": 1,
        "assessed": 0,
        "invited": 0,
        "matched": 0,
        "withdrawn": 0,
        "rejected": 0,
    }


def test_a_sector_matches_its_whole_subtree(configurer, sector, make_application):
    child = services.create_priority_sector(configurer, code="space.launch", name_en="Launch", parent_id=sector.pk)
    grandchild = services.create_priority_sector(
        configurer, code="space.launch.heavy", name_en="Heavy", parent_id=child.pk
    )
    assert selectors.sector_with_descendants(sector.pk) == {sector.pk, child.pk, grandchild.pk}
    assert selectors.sector_with_descendants(grandchild.pk) == {grandchild.pk}


def test_transition_options_name_what_blocks_each_one(make_application, officer, supervisor):
    application, _owner = make_application(until="screening", documents=[{"kind": "passport", "file_name": "p.pdf"}])
    (option,) = selectors.transition_options_for(officer, application)[:1]
    names = [o.name for o in selectors.transition_options_for(officer, application)]
    assert names == ["mark_assessed", "reject"]
    assert (option.name, option.target, option.rule, option.allowed) == (
        "mark_assessed",
        "assessed",
        "documents_screened",
        False,
    )
    assert "no document of the profile still pending" in option.refusal
    by_supervisor = {o.name: o for o in selectors.transition_options_for(supervisor, application)}
    assert by_supervisor["reject"].rule == "role"
    assert selectors.transition_options_for(officer, Application.objects.get(pk=application.pk))[1].allowed


def test_move_refuses_a_stale_request_and_changes_nothing(make_application, officer):
    application, _owner = make_application(until="submitted")
    services.start_screening(officer, application.pk)
    entries = AuditEntry.objects.count()
    with pytest.raises(Conflict) as caught:
        services.move_application(officer, application.pk, "reject", reason="Late", expected_status="submitted")
    assert _rules(caught) == {("status", "concurrent_transition")}
    assert "it is now 'screening', no longer 'submitted'" in caught.value.errors[0].message
    assert Application.objects.get(pk=application.pk).status == "screening"
    assert AuditEntry.objects.count() == entries


def test_move_checks_the_transition_reason_and_expected_status(make_application, officer):
    application, _owner = make_application(until="submitted")
    with pytest.raises(ValidationFailed) as caught:
        services.move_application(officer, application.pk, "submit")
    assert _rules(caught) == {("transition", "choice")}
    with pytest.raises(ValidationFailed) as caught:
        services.move_application(officer, application.pk, "reject", reason="  ")
    assert _rules(caught) == {("reason", "required")}
    with pytest.raises(ValidationFailed) as caught:
        services.move_application(officer, application.pk, "start_screening", expected_status="pending")
    assert _rules(caught) == {("expected_status", "choice")}
    moved = services.move_application(
        officer, application.pk, "start_screening", reason="Queue A", expected_status="submitted"
    )
    assert moved.status == "screening"
    assert moved.history.last().reason == "Queue A"


def test_bulk_moves_each_application_on_its_own_and_reports_each(make_application, officer):
    ready, _ = make_application(until="screening")
    blocked, _ = make_application(until="screening", documents=[{"kind": "diploma", "file_name": "d.pdf"}])
    draft, _ = make_application(until="draft")
    outcomes = services.bulk_move_applications(
        officer, [ready.pk, blocked.pk, draft.pk, 987654, ready.pk], "mark_assessed"
    )
    summary = [(o.application_id, o.moved, o.from_state, o.to_state, o.rule) for o in outcomes]
    assert summary == [
        (ready.pk, True, "screening", "assessed", ""),
        (blocked.pk, False, "screening", "", "documents_screened"),
        (draft.pk, False, "draft", "", "source_state"),
        (987654, False, "", "", "not_found"),
    ]
    assert Application.objects.get(pk=ready.pk).status == "assessed"
    assert Application.objects.get(pk=blocked.pk).status == "screening"
    assert ApplicationTransition.objects.filter(application=blocked, to_state="assessed").count() == 0


def test_bulk_refuses_a_malformed_request_as_a_whole(make_application, officer, make_user):
    application, _ = make_application(until="submitted")
    with pytest.raises(ValidationFailed) as caught:
        services.bulk_move_applications(officer, [], "withdraw", reason="")
    assert _rules(caught) == {("transition", "choice"), ("application_ids", "required")}
    with pytest.raises(ValidationFailed) as caught:
        services.bulk_move_applications(officer, [application.pk], "reject")
    assert _rules(caught) == {("reason", "required")}
    with pytest.raises(ValidationFailed) as caught:
        services.bulk_move_applications(officer, list(range(1, services.MAX_BULK_APPLICATIONS + 2)), "invite")
    assert _rules(caught) == {("application_ids", "max_items")}
    with pytest.raises(PermissionRefused):
        services.bulk_move_applications(make_user(Role.CANDIDATE), [application.pk], "start_screening")
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_bulk_reject_records_the_one_reason_on_each(make_application, officer):
    first, _ = make_application(until="submitted")
    second, _ = make_application(until="screening")
    outcomes = services.bulk_move_applications(officer, [first.pk, second.pk], "reject", reason="Quota reached")
    assert [o.moved for o in outcomes] == [True, True]
    assert set(ApplicationTransition.objects.filter(to_state="rejected").values_list("reason", flat=True)) == {
        "Quota reached"
    }


def test_application_documents_belong_to_the_application(make_application, officer):
    application, owner = make_application(documents=[{"kind": "passport", "file_name": "p.pdf"}])
    other, _ = make_application(documents=[{"kind": "diploma", "file_name": "d.pdf"}])
    (document,) = selectors.application_documents_for(officer, application.pk)
    assert selectors.get_application_document_for(owner, application.pk, document.pk) == document
    other_document = Document.objects.get(profile=other.profile)
    with pytest.raises(NotFound):
        selectors.get_application_document_for(officer, application.pk, other_document.pk)
    with pytest.raises(NotFound):
        selectors.get_application_document_for(owner, other.pk, other_document.pk)


def test_the_organisation_queue_is_for_programme_staff_in_one_state(make_user, officer):
    admin = make_user(Role.HOST_ADMIN)
    organisation = register_organisation(admin, name="Orbital", kind="private_company", country="RU")
    (pending,) = selectors.organisations_for_verification(officer)
    assert pending == organisation
    assert [m.user for m in pending.admin_memberships] == [admin]
    assert not selectors.organisations_for_verification(officer, "verified").exists()
    with pytest.raises(ValidationFailed) as caught:
        selectors.organisations_for_verification(officer, "maybe")
    assert _rules(caught) == {("verification", "choice")}
    with pytest.raises(PermissionRefused):
        selectors.organisations_for_verification(admin)
    with pytest.raises(NotFound):
        selectors.get_organisation_for_verification(admin, organisation.pk)
    assert selectors.get_organisation_for_verification(officer, organisation.pk) == organisation
