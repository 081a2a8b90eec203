"""Matrix entries of the assessment API and pages: scores, where-would-I-qualify, policy governance, pool
reassessment and selection rounds.

World objects, all through the assessment, programmes and candidates services:

* ``assessment_programme`` (made by ``administrator``) and ``assessed_application`` (``candidate``'s
  submitted application to it, with its profile completed so it can be submitted) and its
  ``assessment``;
* ``draft_policy`` (a draft version written by ``administrator``), ``reviewed_policy`` (written by
  ``administrator``, reviewed by ``officer``, impact previewed), ``published_policy`` (the shipped
  ``japan-hsp`` version);
* ``reassessment_job`` (a pool reassessment started by ``officer``);
* rounds defined by ``officer``: ``draft_round``, ``previewed_round``, ``approved_round`` and
  ``run_round`` (approved by ``supervisor`` and run, so it has a fairness report).
"""

from __future__ import annotations

from permission_matrix.harness import ALL_SIGNED_IN, PROGRAMME_STAFF, STAFF_WITHOUT_PERMISSIONS, Endpoint, World
from talentgate.assessment import rounds, services
from talentgate.assessment.models import PolicyVersion
from talentgate.candidates.services import give_consent, save_profile
from talentgate.canonical import CandidateProfile
from talentgate.programmes import services as programme_services

OFFICERS = frozenset({"officer", "supervisor", STAFF_WITHOUT_PERMISSIONS})
POLICY_AUTHORS = PROGRAMME_STAFF
CANDIDATE_OR_STAFF = frozenset({"candidate"}) | PROGRAMME_STAFF


def _policy_text(version: str) -> str:
    shipped = PolicyVersion.objects.get(policy_id="programme-merit", version="2026-01-01")
    # A policy id of its own, so publishing it overlaps no published version.
    text = shipped.yaml_text.replace("id: programme-merit", "id: matrix-merit", 1)
    return text.replace('version: "2026-01-01"', f'version: "{version}"')


def _complete_profile(world: World) -> None:
    candidate = world.users["candidate"]
    profile = world.obj("profile")
    payload = {
        "id": profile.external_id,
        "identity": {
            "given_names_latin": profile.given_names_latin,
            "family_name_latin": profile.family_name_latin,
            "date_of_birth": profile.date_of_birth.isoformat(),
            "sex": profile.sex,
        },
        "education": [
            {"level": 7, "field_code": "0716", "institution": "MIPT", "country": "RU", "graduation_year": 2015}
        ],
        "language_tests": [
            {
                "test": "ielts_academic",
                "test_date": "2025-05-01",
                "listening": 7,
                "reading": 7,
                "writing": 7,
                "speaking": 7,
            }
        ],
    }
    save_profile(candidate, CandidateProfile.model_validate(payload))
    # An earlier domain's build may have given this consent already.
    if not profile.consents.filter(purpose="authority_handoff", withdrawn_at=None).exists():
        give_consent(candidate, profile, "authority_handoff", "1")


def build(world: World) -> None:
    users = world.users
    officer, supervisor, administrator = users["officer"], users["supervisor"], users["administrator"]
    programme = programme_services.create_programme(
        administrator, code="matrix-assessment", name_en="Assessed programme", name_ru="Оцениваемая программа"
    )
    world.objects["assessment_programme"] = programme
    _complete_profile(world)
    application = programme_services.create_application(users["candidate"], programme_id=programme.pk)
    application = programme_services.submit_application(users["candidate"], application.pk)
    world.objects["assessed_application"] = application
    world.objects["assessment"] = services.assess_application(users["candidate"], application.pk)

    world.objects["draft_policy"] = services.create_policy_draft(administrator, _policy_text("matrix-draft"))
    reviewed = services.create_policy_draft(administrator, _policy_text("matrix-reviewed"))
    services.review_policy_version(officer, reviewed.pk)
    services.impact_preview(officer, reviewed.pk)
    world.objects["reviewed_policy"] = reviewed
    world.objects["published_policy"] = PolicyVersion.objects.get(policy_id="japan-hsp")
    world.objects["reassessment_job"] = services.reassess_pool(officer, programme.pk)

    def define(name: str) -> object:
        return rounds.define_round(
            officer, programme_id=programme.pk, name=name, policy_id="programme-merit", invitations=5
        )

    world.objects["draft_round"] = define("Draft round")
    world.objects["previewed_round"] = rounds.preview_round(officer, define("Previewed round").pk)
    approved = rounds.preview_round(officer, define("Approved round").pk)
    world.objects["approved_round"] = rounds.approve_round(supervisor, approved.pk)
    ran = rounds.preview_round(officer, define("Round that ran").pk)
    rounds.approve_round(supervisor, ran.pk)
    world.objects["run_round"] = rounds.run_round(officer, ran.pk)


def _application(world: World) -> dict[str, int]:
    return {"application_id": world.obj("assessed_application").pk}


def _version(name: str):  # type: ignore[no-untyped-def]
    return lambda world: {"version_id": world.obj(name).pk}


def _round(name: str):  # type: ignore[no-untyped-def]
    return lambda world: {"round_id": world.obj(name).pk}


ENDPOINTS = [
    # Scores: the candidate's own, and programme staff.
    Endpoint("api:assessment_get_application_assessment", CANDIDATE_OR_STAFF, kwargs=_application),
    Endpoint("api:assessment_list_application_assessments", CANDIDATE_OR_STAFF, kwargs=_application),
    Endpoint(
        "api:assessment_get_assessment",
        CANDIDATE_OR_STAFF,
        kwargs=lambda w: {"assessment_id": w.obj("assessment").pk},
    ),
    Endpoint("api:assessment_assess_application", CANDIDATE_OR_STAFF, method="POST", kwargs=_application),
    # Where would I qualify: each candidate compares their own profile (staff name a profile in the query).
    Endpoint("api:assessment_compare_policies", frozenset({"candidate", "other_candidate"})),
    # Policy versions: published ones are public to everyone signed in; drafts are staff business.
    Endpoint("api:assessment_list_policy_versions", ALL_SIGNED_IN),
    Endpoint(
        "api:assessment_get_policy_version",
        ALL_SIGNED_IN,
        kwargs=_version("published_policy"),
        label="GET published version",
    ),
    Endpoint(
        "api:assessment_create_policy_draft",
        POLICY_AUTHORS,
        method="POST",
        body=lambda w: {"yaml_text": _policy_text("matrix-new")},
    ),
    # The draft's author (administrator) may not review it.
    Endpoint(
        "api:assessment_review_policy_version",
        frozenset({"officer", "supervisor", STAFF_WITHOUT_PERMISSIONS}),
        method="POST",
        kwargs=_version("draft_policy"),
    ),
    Endpoint("api:assessment_preview_policy_impact", POLICY_AUTHORS, method="POST", kwargs=_version("draft_policy")),
    # Only a supervisor who did not review it (the officer did).
    Endpoint(
        "api:assessment_publish_policy_version",
        frozenset({"supervisor"}),
        method="POST",
        kwargs=_version("reviewed_policy"),
    ),
    Endpoint(
        "api:assessment_retire_policy_version",
        frozenset({"supervisor", "administrator"}),
        method="POST",
        kwargs=_version("published_policy"),
    ),
    # Pool reassessment: officers and supervisors start it; staff follow it.
    Endpoint(
        "api:assessment_reassess_pool",
        OFFICERS,
        method="POST",
        kwargs=lambda w: {"programme_id": w.obj("assessment_programme").pk},
        body=lambda w: {},
    ),
    # The programme's policy: administrators and supervisors choose it.
    Endpoint(
        "api:assessment_set_programme_policy",
        frozenset({"administrator", "supervisor"}),
        method="PUT",
        kwargs=lambda w: {"programme_id": w.obj("assessment_programme").pk},
        body=lambda w: {"policy_id": "programme-merit"},
    ),
    Endpoint(
        "api:assessment_get_reassessment_job",
        PROGRAMME_STAFF,
        kwargs=lambda w: {"job_id": w.obj("reassessment_job").pk},
    ),
    # Rounds: staff read; officers and supervisors define, preview and run; a supervisor other than the
    # officer who defined it approves.
    Endpoint("api:assessment_list_rounds", PROGRAMME_STAFF),
    Endpoint(
        "api:assessment_define_round",
        OFFICERS,
        method="POST",
        body=lambda w: {
            "programme_id": w.obj("assessment_programme").pk,
            "name": "matrix",
            "policy_id": "programme-merit",
            "invitations": 3,
        },
    ),
    Endpoint("api:assessment_get_round", PROGRAMME_STAFF, kwargs=_round("draft_round")),
    Endpoint("api:assessment_preview_round", OFFICERS, method="POST", kwargs=_round("draft_round")),
    Endpoint(
        "api:assessment_approve_round", frozenset({"supervisor"}), method="POST", kwargs=_round("previewed_round")
    ),
    Endpoint("api:assessment_run_round", OFFICERS, method="POST", kwargs=_round("approved_round")),
    Endpoint("api:assessment_list_round_invitations", PROGRAMME_STAFF, kwargs=_round("run_round")),
    Endpoint("api:assessment_get_round_fairness", PROGRAMME_STAFF, kwargs=_round("run_round")),
]


def _page(name: str) -> str:
    return f"portal:assessment:{name}"


CANDIDATES = frozenset({"candidate", "other_candidate"})

ENDPOINTS += [
    # The candidate's pages: each candidate sees their own (the other candidate sees an empty list).
    Endpoint(_page("my_scores"), CANDIDATES),
    Endpoint(_page("qualify"), CANDIDATES),
    Endpoint(_page("application"), CANDIDATE_OR_STAFF, kwargs=_application),
    Endpoint(_page("assess"), PROGRAMME_STAFF, method="POST", kwargs=_application),
    Endpoint(_page("compare"), CANDIDATE_OR_STAFF, kwargs=lambda w: {"external_id": w.obj("profile").external_id}),
    # Policies.
    Endpoint(_page("policies"), ALL_SIGNED_IN),
    Endpoint(_page("policy_create"), PROGRAMME_STAFF),
    Endpoint(
        _page("policy_create"),
        PROGRAMME_STAFF,
        method="POST",
        body=lambda w: {"yaml_text": _policy_text("matrix-page")},
        label="POST portal:assessment:policy_create",
    ),
    Endpoint(_page("policy_validate"), PROGRAMME_STAFF, method="POST", body=lambda w: {"yaml_text": "id: x"}),
    Endpoint(_page("policy"), ALL_SIGNED_IN, kwargs=_version("published_policy")),
    Endpoint(
        _page("policy_review"),
        frozenset({"officer", "supervisor", STAFF_WITHOUT_PERMISSIONS}),
        method="POST",
        kwargs=_version("draft_policy"),
    ),
    Endpoint(_page("policy_impact"), PROGRAMME_STAFF, method="POST", kwargs=_version("draft_policy")),
    Endpoint(_page("policy_publish"), frozenset({"supervisor"}), method="POST", kwargs=_version("reviewed_policy")),
    Endpoint(
        _page("policy_retire"),
        frozenset({"supervisor", "administrator"}),
        method="POST",
        kwargs=_version("published_policy"),
    ),
    # Pool reassessment.
    Endpoint(_page("reassess"), PROGRAMME_STAFF, kwargs=lambda w: {"programme_id": w.obj("assessment_programme").pk}),
    Endpoint(
        _page("reassess"),
        OFFICERS,
        method="POST",
        kwargs=lambda w: {"programme_id": w.obj("assessment_programme").pk},
        body=lambda w: {"policy_id": ""},
        label="POST portal:assessment:reassess",
    ),
    Endpoint(
        _page("programme_policy"), PROGRAMME_STAFF, kwargs=lambda w: {"programme_id": w.obj("assessment_programme").pk}
    ),
    Endpoint(
        _page("programme_policy"),
        frozenset({"administrator", "supervisor"}),
        method="POST",
        kwargs=lambda w: {"programme_id": w.obj("assessment_programme").pk},
        body=lambda w: {"policy_id": "programme-merit"},
        label="POST portal:assessment:programme_policy",
    ),
    Endpoint(_page("job"), PROGRAMME_STAFF, kwargs=lambda w: {"job_id": w.obj("reassessment_job").pk}),
    # Rounds.
    Endpoint(_page("rounds"), PROGRAMME_STAFF),
    Endpoint(_page("round_define"), PROGRAMME_STAFF),
    Endpoint(
        _page("round_define"),
        OFFICERS,
        method="POST",
        body=lambda w: {
            "programme_id": w.obj("assessment_programme").pk,
            "name": "matrix page",
            "policy_id": "programme-merit",
            "invitations": 2,
        },
        label="POST portal:assessment:round_define",
    ),
    Endpoint(_page("round"), PROGRAMME_STAFF, kwargs=_round("previewed_round")),
    Endpoint(_page("round_preview"), OFFICERS, method="POST", kwargs=_round("draft_round")),
    Endpoint(_page("round_approve"), frozenset({"supervisor"}), method="POST", kwargs=_round("previewed_round")),
    Endpoint(_page("round_run"), OFFICERS, method="POST", kwargs=_round("approved_round")),
    Endpoint(_page("round_fairness"), PROGRAMME_STAFF, kwargs=_round("run_round")),
]
