"""The demo competition: one fellowship call with a panel, submissions, declared and detected conflicts, an
explained reviewer assignment and the reviews, left for the demo officer to rank and award.

Everything is written through the competitions services (so the demo obeys the same rules and audit trail as a
person using the platform); loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.competitions import services
from talentgate.competitions.models import Call

DEMO_CALL_TITLE = "Early-career fellowship in space research (demo)"
CRITERIA = [
    {"code": "excellence", "label": "Scientific excellence", "weight": "3", "min_score": 0, "max_score": 10},
    {"code": "programme_fit", "label": "Fit with the priority sectors", "weight": "2", "min_score": 0, "max_score": 10},
    {"code": "feasibility", "label": "Feasibility", "weight": "1", "min_score": 1, "max_score": 5},
]
#: (e-mail, institution, country) of the panel; the first is the printed demo reviewer login.
PANEL = [
    ("reviewer@demo.talentgate.test", "Space Research Institute", "RU"),
    ("panel.ines@demo.talentgate.test", "University of Sao Paulo", "BR"),
    ("panel.arjun@demo.talentgate.test", "Indian Institute of Science", "IN"),
    ("panel.thandi@demo.talentgate.test", "University of Cape Town", "ZA"),
]
#: Affiliations of the entrants, in turn; some share a reviewer's institution or country (conflicts to detect).
ENTRANT_AFFILIATIONS = [
    ("University of Sao Paulo", "BR"),
    ("Tsinghua University", "CN"),
    ("Indian Institute of Science", "IN"),
    ("Cairo University", "EG"),
    ("Moscow Institute of Physics and Technology", "RU"),
    ("University of Tehran", "IR"),
    ("University of Cape Town", "ZA"),
    ("Universidad de Chile", "CL"),
]


def ensure_demo_competition(officer: User, as_of: dt.date, password_hash: str) -> Call | None:
    """Create the demo call (once) and run it up to the reviews; ``None`` when it exists or no candidate has a login."""
    if Call.objects.filter(title=DEMO_CALL_TITLE).exists():
        return None
    # Entrants with no relocation under way, so an award can open their case.
    entrants = list(
        User.objects.filter(
            role=Role.CANDIDATE, is_active=True, profile__isnull=False, profile__cases__isnull=True
        ).order_by("pk")[: len(ENTRANT_AFFILIATIONS)]
    )
    if len(entrants) < 2:
        return None
    call = services.create_call(
        officer,
        criteria=CRITERIA,
        title=DEMO_CALL_TITLE,
        kind="fellowship",
        description="Two-year fellowships at the programme's space research hosts.",
        opens_on=as_of - dt.timedelta(days=60),
        closes_on=as_of - dt.timedelta(days=30),
        review_deadline=as_of + dt.timedelta(days=14),
        policy_id="early-career-fellowship",
        policy_version="2026-01-01",
        reviews_per_submission=2,
        same_country_conflict=True,
        coauthorship_years=3,
        award_count=2,
        award_outcome="relocation_case",
        case_kind="researcher",
    )
    reviewers = []
    for email, institution, country in PANEL:
        reviewer = User.objects.filter(email=email).first() or User.objects.create(
            email=email, username=email, password=password_hash, role=Role.REVIEWER
        )
        services.add_panel_member(officer, call.pk, reviewer_id=reviewer.pk, institution=institution, country=country)
        reviewers.append(reviewer)
    for index, user in enumerate(entrants):
        institution, country = ENTRANT_AFFILIATIONS[index]
        profile = Profile.objects.get(user=user)
        # One entrant in four got the doctorate too long ago: the policy says why they are not eligible.
        years = 12 if index % 4 == 3 else 2 + index
        services.submit_entry(
            user,
            call.pk,
            title=f"Small-satellite study {index + 1} by {profile.given_names_latin}",
            abstract="A research plan for the programme's orbital cluster.",
            institution=institution,
            country=country,
            eligibility_inputs={
                "highest_isced_level": 8,
                "years_since_doctorate": years,
                "peer_reviewed_publications": index,
            },
            today=call.opens_on,
        )
    services.declare(reviewers[2], call.pk, kind="coauthorship", person_email=entrants[1].email, year=as_of.year - 1)
    services.declare(
        reviewers[3], call.pk, kind="conflict", person_email=entrants[-1].email, note="former doctoral student"
    )
    services.run_assignment(officer, call.pk)
    for assignment in call.assignments.select_related("submission").order_by("pk"):
        seed = assignment.submission_id * 7 + assignment.reviewer_id
        services.submit_review(
            assignment.reviewer,
            assignment.submission_id,
            scores={"excellence": 4 + seed % 7, "programme_fit": 3 + seed % 8, "feasibility": 1 + seed % 5},
            comment="Demo review.",
            today=as_of,
        )
    return call
