"""The demo competition: a call with a panel, submissions, conflicts with reasons, an explained assignment with no
conflicted pair, and reviews; loading it twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password

from talentgate.accounts.roles import Role
from talentgate.candidates.models import Profile
from talentgate.competitions import selectors
from talentgate.competitions.models import Call, ConflictOfInterest, Review, ReviewAssignment
from talentgate.demo.competition import ENTRANT_AFFILIATIONS, ensure_demo_competition

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 15)


def test_demo_competition_runs_to_reviews_without_a_conflicted_pair(make_user):
    officer = make_user(Role.OFFICER)
    for i in range(len(ENTRANT_AFFILIATIONS)):
        user = make_user(Role.CANDIDATE)
        Profile.objects.create(
            user=user, external_id=f"d{i}", given_names_latin=f"N{i}", date_of_birth=dt.date(1990, 1, 1), sex="female"
        )
    call = ensure_demo_competition(officer, AS_OF, make_password("x"))
    assert call is not None
    assert call.submissions.count() == len(ENTRANT_AFFILIATIONS)
    assert call.submissions.filter(eligible=False).count() == 2
    codes = {r["code"] for c in ConflictOfInterest.objects.filter(call=call) for r in c.reasons}
    assert codes == {"same_institution", "same_country", "coauthorship", "declared"}
    pairs = set(ReviewAssignment.objects.filter(call=call).values_list("reviewer_id", "submission_id"))
    conflicted = set(ConflictOfInterest.objects.filter(call=call).values_list("reviewer_id", "submission_id"))
    assert pairs
    assert not pairs & conflicted
    run = selectors.latest_run(officer, call.pk)
    assert run.feasible
    assert (
        Review.objects.filter(assignment__call=call).count()
        == len(pairs)
        == 2 * call.submissions.filter(eligible=True).count()
    )
    assert len(selectors.panel_ranking(officer, call.pk)) == 6
    assert ensure_demo_competition(officer, AS_OF, make_password("x")) is None
    assert Call.objects.count() == 1


def test_the_loaded_demo_competition_runs_to_an_award_that_opens_a_case():
    from talentgate.accounts.models import User
    from talentgate.cases.models import RelocationCase
    from talentgate.competitions import services
    from talentgate.demo.competition import DEMO_CALL_TITLE
    from talentgate.demo.loader import load_demo

    load_demo(60, seed=4, as_of=AS_OF, batch_size=60)
    call = Call.objects.get(title=DEMO_CALL_TITLE)
    officer = User.objects.get(email="officer@demo.talentgate.test")
    top = selectors.panel_ranking(officer, call.pk)[0]
    award = services.make_award(officer, call.pk, top.submission.pk)
    case = RelocationCase.objects.get(pk=award.case_id)
    assert case.award == award
    assert case.profile.user == top.submission.candidate
