"""Competition fixtures built through the services: a call with a rubric, a panel, candidates with profiles."""

from __future__ import annotations

import datetime as dt

import pytest

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.competitions import services

OPENS = dt.date(2026, 1, 10)
CRITERIA = [
    {"code": "excellence", "label": "Scientific excellence", "weight": "2", "min_score": 0, "max_score": 10},
    {"code": "impact", "label": "Impact", "weight": "1", "min_score": 1, "max_score": 5},
]
ELIGIBLE = {"highest_isced_level": 8, "years_since_doctorate": 4, "peer_reviewed_publications": 6}


@pytest.fixture
def competition(make_user):
    """Builder: ``competition(reviewers=3, **call_fields)`` -> namespace with officer, call, reviewers, submit()."""

    def build(reviewers=3, institutions=None, countries=None, **fields):
        officer = make_user(Role.OFFICER)
        values = {
            "title": "Early-career fellowship 2026",
            "kind": "fellowship",
            "opens_on": OPENS,
            "closes_on": OPENS + dt.timedelta(days=30),
            "review_deadline": OPENS + dt.timedelta(days=60),
            "policy_id": "early-career-fellowship",
            "policy_version": "2026-01-01",
            "reviews_per_submission": 2,
            "coauthorship_years": 3,
            "award_count": 2,
        }
        values.update(fields)
        call = services.create_call(officer, criteria=CRITERIA, **values)
        panel = []
        for i in range(reviewers):
            reviewer = make_user(Role.REVIEWER)
            services.add_panel_member(
                officer,
                call.pk,
                reviewer_id=reviewer.pk,
                institution=(institutions or [f"Institute {i}" for i in range(reviewers)])[i],
                country=(countries or ["DE"] * reviewers)[i],
            )
            panel.append(reviewer)

        def submit(institution="University A", country="BR", inputs=None, day=OPENS, **extra):
            candidate = make_user(Role.CANDIDATE)
            Profile.objects.create(
                user=candidate,
                external_id=f"cand-{candidate.pk}",
                given_names_latin="Ana",
                family_name_latin=f"Silva {candidate.pk}",
                date_of_birth=dt.date(1992, 5, 1),
                sex="female",
            )
            return services.submit_entry(
                candidate,
                call.pk,
                title=extra.get("title", f"Project of {candidate.pk}"),
                abstract="Orbital debris tracking with small telescopes.",
                institution=institution,
                country=country,
                eligibility_inputs=ELIGIBLE if inputs is None else inputs,
                attachment=extra.get("attachment"),
                today=day,
            )

        class Built:
            pass

        built = Built()
        built.officer, built.call, built.reviewers, built.submit = officer, call, panel, submit
        return built

    return build
