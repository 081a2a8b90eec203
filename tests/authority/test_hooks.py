"""The hand-off joins the case workflow: submitting a case makes its submission in the same transaction."""

from __future__ import annotations

import pytest
from authority_kit import make_case
from django.utils import timezone

from talentgate.accounts.roles import Role
from talentgate.authority.models import Submission
from talentgate.candidates.models import Consent
from talentgate.cases import services as case_services
from talentgate.cases.models import CaseTransition, Stage
from talentgate.common.errors import Conflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved_case(settings):
    settings.AUTHORITY_PUSH_URL = ""
    case = make_case(stage=Stage.APPROVED)
    Consent.objects.create(profile=case.profile, purpose="authority_handoff", version="1", given_at=timezone.now())
    return case


def test_submitting_a_case_makes_exactly_one_submission(approved_case, make_user):
    officer = make_user(Role.OFFICER)
    case = case_services.submit_to_authority(officer, approved_case.pk)
    assert case.stage == Stage.SUBMITTED
    submission = Submission.objects.get()
    assert (submission.case_id, submission.created_by, submission.delivery) == (case.pk, officer, "pending")
    assert len(submission.idempotency_key) == 32


def test_a_refused_submission_undoes_the_transition(approved_case, make_user):
    # An undecided submission is already there (say, left by a failed earlier run): the new one is refused,
    # and with it the whole transition, history row and audit entry included.
    Submission.objects.create(case=approved_case, idempotency_key="k" * 32)
    with pytest.raises(Conflict) as refused:
        case_services.submit_to_authority(make_user(Role.OFFICER), approved_case.pk)
    assert refused.value.errors[0].rule == "open_submission"
    approved_case.refresh_from_db()
    assert approved_case.stage == Stage.APPROVED
    assert not CaseTransition.objects.filter(case=approved_case, transition="submit_to_authority").exists()
    assert Submission.objects.count() == 1


def test_a_refused_transition_makes_no_submission(approved_case, make_user):
    Consent.objects.filter(profile=approved_case.profile).update(withdrawn_at=timezone.now())
    with pytest.raises(Exception, match="authority_handoff"):
        case_services.submit_to_authority(make_user(Role.OFFICER), approved_case.pk)
    assert Submission.objects.count() == 0
