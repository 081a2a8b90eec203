"""Matrix entries of the matching API and pages: runs, ranked lists, results.

World objects, all through the programmes and matching services (after the hosts and assessment
entries, whose ``published_opportunity`` of organisation A and completed ``candidate`` profile it uses):

* ``matching_programme`` (the applications are set to invited directly: see ``_invited_application``) with ``candidate``'s invited application and ``matching_draft_run`` (a draft
  run collecting ranked lists until tomorrow);
* ``matching_done_programme`` with another invited application of ``candidate`` and
  ``matching_done_run`` (started by ``officer`` and finished, so it has results and shortlists);
* ``matching_couples_programme``, where ``candidate``, ``other_candidate`` and a third applicant (no actor)
  are invited, with three draft runs: ``matching_couple_run`` (no couple yet: either candidate may propose
  one with the third applicant), ``matching_proposed_couple`` (``candidate`` proposed, ``other_candidate``
  confirms) and ``matching_confirmed_couple`` (confirmed by both: either ranks pairs).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from permission_matrix.harness import ALL_SIGNED_IN, PROGRAMME_STAFF, STAFF_WITHOUT_PERMISSIONS, Endpoint, World
from talentgate.accounts.roles import Role
from talentgate.accounts.services import create_user
from talentgate.candidates.services import save_profile
from talentgate.canonical import CandidateProfile
from talentgate.matching import services
from talentgate.programmes import services as programme_services
from talentgate.programmes.models import Application, ApplicationStatus

OFFICERS = frozenset({"officer", "supervisor", STAFF_WITHOUT_PERMISSIONS})
ALL_HOSTS = frozenset({"host_admin", "host_staff", "other_host_admin", "other_host_staff"})
ORGANISATION_A = frozenset({"host_admin", "host_staff"})
RUN_READERS = PROGRAMME_STAFF | ALL_HOSTS | {"candidate"}


def _invited_application(world: World, code: str, name: str) -> tuple[object, object]:
    users = world.users
    programme = programme_services.create_programme(users["administrator"], code=code, name_en=name, name_ru=name)
    application = programme_services.create_application(users["candidate"], programme_id=programme.pk)
    programme_services.submit_application(users["candidate"], application.pk)
    programme_services.start_screening(users["officer"], application.pk)
    # The shared world keeps a document of this profile pending (other entries verify or reject it), which
    # blocks "mark assessed"; the application is put straight into the invited state instead.
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.INVITED)
    return programme, Application.objects.get(pk=application.pk)


def _invite(world: World, user: object, programme: object) -> object:
    # The other two profiles are not complete enough to submit; only the invited state matters here.
    application = programme_services.create_application(user, programme_id=programme.pk)  # type: ignore[attr-defined]
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.INVITED)  # as _invited_application
    return application


def _build_couples(world: World) -> None:
    users = world.users
    programme = programme_services.create_programme(
        users["administrator"], code="matrix-couples", name_en="Couples", name_ru="Пары"
    )
    world.objects["matching_couples_programme"] = programme
    third = create_user(None, email="third.applicant@matrix.test", password="pw-Matrix-12345", role=Role.CANDIDATE)
    payload = {
        "id": "matrix-third",
        "identity": {
            "given_names_latin": "Tova",
            "family_name_latin": "Matrix",
            "date_of_birth": "1989-06-01",
            "sex": "female",
        },
    }
    save_profile(third, CandidateProfile.model_validate(payload))
    world.objects["matching_third_application"] = _invite(world, third, programme)
    _invite(world, users["candidate"], programme)
    partner = _invite(world, users["other_candidate"], programme)
    world.objects["matching_couple_run"] = _run(world, programme)
    proposed = services.propose_couple(users["candidate"], _run(world, programme).pk, partner.pk)  # type: ignore[attr-defined]
    world.objects["matching_proposed_couple"] = proposed
    confirmed = services.propose_couple(users["candidate"], _run(world, programme).pk, partner.pk)  # type: ignore[attr-defined]
    world.objects["matching_confirmed_couple"] = services.confirm_couple(users["other_candidate"], confirmed.pk)


def _run(world: World, programme: object) -> object:
    return services.create_matching_run(
        world.users["officer"],
        programme_id=programme.pk,  # type: ignore[attr-defined]
        preferences_deadline=timezone.now() + timedelta(days=1),
    )


def build(world: World) -> None:
    programme, application = _invited_application(world, "matrix-matching", "Matching")
    world.objects["matching_programme"] = programme
    world.objects["matching_application"] = application
    world.objects["matching_draft_run"] = _run(world, programme)
    done_programme, _ = _invited_application(world, "matrix-matching-done", "Matched")
    world.objects["matching_done_programme"] = done_programme
    world.objects["matching_done_run"] = services.start_matching_run(
        world.users["officer"], _run(world, done_programme).pk
    )
    _build_couples(world)


def _draft(world: World) -> dict[str, int]:
    return {"run_id": world.obj("matching_draft_run").pk}


def _done(world: World) -> dict[str, int]:
    return {"run_id": world.obj("matching_done_run").pk}


def _draft_opportunity(world: World) -> dict[str, int]:
    return {**_draft(world), "opportunity_id": world.obj("published_opportunity").pk}


def _done_opportunity(world: World) -> dict[str, int]:
    return {**_done(world), "opportunity_id": world.obj("published_opportunity").pk}


COUPLE_MEMBERS = frozenset({"candidate", "other_candidate"})


def _couple_run(world: World) -> dict[str, int]:
    return {"run_id": world.obj("matching_couple_run").pk}


def _proposed(world: World) -> dict[str, int]:
    return {"couple_id": world.obj("matching_proposed_couple").pk}


def _confirmed(world: World) -> dict[str, int]:
    return {"couple_id": world.obj("matching_confirmed_couple").pk}


def _proposed_run(world: World) -> dict[str, int]:
    return {"run_id": world.obj("matching_proposed_couple").run_id}


def _confirmed_run(world: World) -> dict[str, int]:
    return {"run_id": world.obj("matching_confirmed_couple").run_id}


ENDPOINTS = [
    # Runs: officers and supervisors create and start them; those taking part read them.
    Endpoint(
        "api:matching_create_run",
        OFFICERS,
        method="POST",
        body=lambda w: {
            "programme_id": w.obj("matching_programme").pk,
            "preferences_deadline": (timezone.now() + timedelta(days=2)).isoformat(),
        },
    ),
    Endpoint("api:matching_list_runs", ALL_SIGNED_IN),
    Endpoint("api:matching_get_run", RUN_READERS, kwargs=_draft),
    Endpoint("api:matching_start_run", OFFICERS, method="POST", kwargs=_draft),
    Endpoint("api:matching_list_run_results", PROGRAMME_STAFF, kwargs=_done),
    # Candidates: their own placements (an empty list for anyone else) and their own ranked list.
    Endpoint("api:matching_list_my_placements", ALL_SIGNED_IN),
    Endpoint(
        "api:matching_submit_my_ranking",
        frozenset({"candidate"}),
        method="PUT",
        kwargs=_draft,
        body=lambda w: {"opportunity_ids": [w.obj("published_opportunity").pk]},
    ),
    # Hosts: every host may see a run's applicants (they applied) and its own placements; only
    # organisation A ranks for and sees the ranked candidates of A's opportunity.
    Endpoint("api:matching_list_run_pool", ALL_HOSTS, kwargs=_draft),
    Endpoint(
        "api:matching_submit_opportunity_ranking",
        ORGANISATION_A,
        method="PUT",
        kwargs=_draft_opportunity,
        body=lambda w: {"application_ids": [w.obj("matching_application").pk]},
    ),
    Endpoint("api:matching_list_shortlist", ORGANISATION_A | PROGRAMME_STAFF, kwargs=_done_opportunity),
    Endpoint("api:matching_list_host_placements", ALL_HOSTS, kwargs=_done),
    # Pages: the same rules as the API.
    Endpoint("portal:matching:runs", ALL_SIGNED_IN),
    Endpoint(
        "portal:matching:runs",
        OFFICERS,
        method="POST",
        body=lambda w: {
            "programme_id": w.obj("matching_programme").pk,
            "preferences_deadline": (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "seed": 0,
        },
    ),
    Endpoint("portal:matching:run", RUN_READERS, kwargs=_draft),
    Endpoint("portal:matching:run", RUN_READERS, kwargs=_done, label="GET portal:matching:run (done)"),
    Endpoint("portal:matching:run_start", OFFICERS, method="POST", kwargs=_draft),
    Endpoint("portal:matching:my_ranking", frozenset({"candidate"}), kwargs=_draft),
    Endpoint(
        "portal:matching:my_ranking",
        frozenset({"candidate"}),
        method="POST",
        kwargs=_draft,
        body=lambda w: {"ids": str(w.obj("published_opportunity").pk)},
    ),
    Endpoint("portal:matching:opportunity", ORGANISATION_A, kwargs=_draft_opportunity),
    Endpoint(
        "portal:matching:opportunity",
        ORGANISATION_A,
        kwargs=_done_opportunity,
        label="GET portal:matching:opportunity (done)",
    ),
    Endpoint(
        "portal:matching:opportunity",
        ORGANISATION_A,
        method="POST",
        kwargs=_draft_opportunity,
        body=lambda w: {"ids": str(w.obj("matching_application").pk)},
    ),
    Endpoint("portal:matching:my_placements", ALL_SIGNED_IN),
    Endpoint(
        "portal:matching:validate",
        PROGRAMME_STAFF,
        method="POST",
        kwargs=lambda w: {"form_name": "run"},
        body=lambda w: {"_field": "seed", "seed": "1"},
    ),
    Endpoint(
        "portal:matching:validate",
        ALL_SIGNED_IN,
        method="POST",
        kwargs=lambda w: {"form_name": "ranking"},
        body=lambda w: {"_field": "ids", "ids": "1 2"},
        label="POST portal:matching:validate (ranking)",
    ),
    # Couples: an applicant of the run proposes, only the partner confirms, either member withdraws or ranks
    # pairs; programme staff read every couple, nobody else sees one.
    Endpoint(
        "api:matching_propose_couple",
        COUPLE_MEMBERS,
        method="POST",
        kwargs=_couple_run,
        body=lambda w: {"partner_application_id": w.obj("matching_third_application").pk},
    ),
    Endpoint("api:matching_list_couples", ALL_SIGNED_IN),
    Endpoint("api:matching_get_couple", COUPLE_MEMBERS | PROGRAMME_STAFF, kwargs=_confirmed),
    Endpoint("api:matching_confirm_couple", frozenset({"other_candidate"}), method="POST", kwargs=_proposed),
    Endpoint("api:matching_withdraw_couple", COUPLE_MEMBERS, method="POST", kwargs=_proposed),
    Endpoint(
        "api:matching_submit_couple_ranking",
        COUPLE_MEMBERS,
        method="PUT",
        kwargs=_confirmed,
        body=lambda w: {"pairs": [[w.obj("published_opportunity").pk, None]]},
    ),
    Endpoint("portal:matching:couple", COUPLE_MEMBERS, kwargs=_couple_run),
    Endpoint(
        "portal:matching:couple",
        COUPLE_MEMBERS,
        method="POST",
        kwargs=_couple_run,
        body=lambda w: {"action": "propose", "partner_application_id": w.obj("matching_third_application").pk},
        label="POST portal:matching:couple (propose)",
    ),
    Endpoint(
        "portal:matching:couple",
        frozenset({"other_candidate"}),
        method="POST",
        kwargs=_proposed_run,
        body=lambda w: {"action": "confirm"},
        label="POST portal:matching:couple (confirm)",
    ),
    Endpoint(
        "portal:matching:couple",
        COUPLE_MEMBERS,
        method="POST",
        kwargs=_proposed_run,
        body=lambda w: {"action": "withdraw"},
        label="POST portal:matching:couple (withdraw)",
    ),
    Endpoint(
        "portal:matching:couple",
        COUPLE_MEMBERS,
        method="POST",
        kwargs=_confirmed_run,
        body=lambda w: {"action": "rank", "lines": f"{w.obj('published_opportunity').pk} -"},
        label="POST portal:matching:couple (rank)",
    ),
]
