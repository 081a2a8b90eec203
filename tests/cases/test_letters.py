"""Decision letters of stored decisions: who may read them, the candidate's language, what they say."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from pypdf import PdfReader

from talentgate.accounts.roles import Role
from talentgate.cases import letters, services
from talentgate.cases.models import Decision, ReconsiderationWindow
from talentgate.common.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def rejected(make_case, officer):
    """A case rejected by ``officer`` on a legal ground, with the candidate's user."""
    case, candidate = make_case()
    officer.first_name, officer.last_name = "Olga", "Ivanova"
    officer.save()
    services.reject(
        officer, case.pk, reason="The contract pays below the programme threshold.", legal_ground="Decree 42"
    )
    return Decision.objects.get(case=case, kind="rejection"), candidate


def test_candidate_gets_the_letter_in_english_by_default(rejected, programme):
    decision, candidate = rejected
    text = text_of(letters.letter_pdf(candidate, decision.pk))
    assert "Decision letter" in text
    assert "Talent attraction" in text
    assert "Amara Okafor" in text
    assert "rejection" in text
    assert "Decree 42" in text
    assert "Olga Ivanova" in text
    assert "The contract pays below the programme threshold." in text
    until = timezone.localdate(decision.decided_at) + timedelta(days=30)
    assert "within 30 days" in text
    with translation.override("en"):
        from django.utils import formats

        assert formats.date_format(until, "DATE_FORMAT") in text


def test_russian_speaking_candidate_gets_the_letter_in_russian(rejected):
    decision, candidate = rejected
    candidate.preferred_language = "ru"
    candidate.save()
    ReconsiderationWindow.objects.create(programme=decision.case.programme, days=45)
    pdf = letters.letter_pdf(candidate, decision.pk)
    text = text_of(pdf)
    with translation.override("ru"):
        heading = gettext("Decision letter")
        kind = str(decision.get_kind_display())
    assert heading in text
    assert kind in text
    assert "Привлечение талантов" in text  # the programme's Russian name
    assert "45" in text
    until = timezone.localdate(decision.decided_at) + timedelta(days=45)
    months = [
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ]
    assert f"{until.day} {months[until.month - 1]} {until.year}" in text
    # The English letter of the same decision differs; asking for it explicitly is allowed.
    assert letters.letter_pdf(candidate, decision.pk, language="en") != pdf


def test_approval_letter_offers_no_reconsideration(make_case, drive, officer):
    case, _candidate = make_case()
    drive(case, "approved")
    approval = Decision.objects.get(case=case, kind="approval")
    text = text_of(letters.letter_pdf(officer, approval.pk))
    assert "approval" in text
    assert "Decree 1" in text
    assert "Reconsideration" not in text


def test_letters_are_for_the_candidate_and_programme_staff_only(rejected, make_candidate, make_user, officer):
    decision, candidate = rejected
    assert letters.letter_pdf(officer, decision.pk).startswith(b"%PDF-")
    assert letters.letter_pdf(make_user(Role.SUPERVISOR), decision.pk).startswith(b"%PDF-")
    stranger, _ = make_candidate()
    host = decision.case.organisation.memberships.get(role="admin").user
    for outsider in (stranger, host, make_user(Role.AUTHORITY), make_user(Role.ANALYST), None):
        with pytest.raises(NotFound):
            letters.letter_pdf(outsider, decision.pk)
    with pytest.raises(NotFound):
        letters.letter_pdf(candidate, decision.pk + 1000)


def test_unknown_letter_language_is_refused(rejected):
    decision, candidate = rejected
    with pytest.raises(ValidationFailed) as excinfo:
        letters.letter_pdf(candidate, decision.pk, language="de")
    assert excinfo.value.errors[0].field == "language"
