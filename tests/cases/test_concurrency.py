"""Two officers acting on one case at the same moment never lose an update.

On both databases: a stale ``expected_version`` is refused with a 409 naming the current stage
and version, and nothing is written. On PostgreSQL: many threads race conflicting transitions on
the same cases (each thread its own connection and transaction); exactly one wins each race and
every case's history stays one contiguous line with an intact audit chain.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection, transaction

from case_documents import provide_documents
from talentgate.cases import selectors, services
from talentgate.cases.models import CaseTransition, RelocationCase, Stage
from talentgate.common import audit
from talentgate.common.errors import Conflict, DomainError

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.django_db
def test_stale_version_is_refused_naming_stage_and_version(make_case, officer, officer2):
    case, _ = make_case()
    provide_documents(case, officer)
    services.prepare(officer, case.pk, expected_version=1)
    with pytest.raises(Conflict) as excinfo:
        services.reject(officer2, case.pk, reason="Out of scope", legal_ground="Rules", expected_version=1)
    error = excinfo.value.errors[0]
    assert excinfo.value.status == 409
    assert (error.field, error.rule) == ("version", "stale_version")
    assert "prepared" in error.message
    assert "version 2" in error.message
    case.refresh_from_db()
    assert case.stage == Stage.PREPARED
    assert case.version == 2
    assert not case.decisions.exists()


@pytest.mark.django_db
def test_a_save_from_a_stale_copy_is_refused_by_the_version_filter(make_case, officer):
    """Even without a lock (another code path, SQLite), a copy read before someone else's save cannot overwrite it."""
    case, _ = make_case()
    stale = RelocationCase.objects.get(pk=case.pk)
    fresh = RelocationCase.objects.get(pk=case.pk)
    fresh.award_reference = "first writer"
    fresh.save()
    stale.award_reference = "second writer"
    from django_fsm import ConcurrentTransition

    with pytest.raises(ConcurrentTransition), transaction.atomic():
        stale.save()
    case.refresh_from_db()
    assert case.award_reference == "first writer"
    assert case.version == 2


def _race(calls):
    """Run ``calls`` at the same moment, each in a thread with its own connection; return outcomes in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = ("won", call())
        except DomainError as refusal:
            outcomes[index] = ("lost", refusal)
        except Exception as exc:
            outcomes[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_conflicting_transitions_one_winner_per_race(make_case, officer, officer2, supervisor):
    cases = [make_case()[0] for _ in range(4)]
    for case in cases:
        provide_documents(case, officer, verify_with=officer2)
    racers = 6

    # Race 1: everyone prepares the same case at version 1.
    # Race 2: approve, reject and withdraw collide at the version each racer read.
    # Race 3: without any expected version, reject and withdraw collide; the row lock serialises them.
    for case in cases:
        outcomes = _race([lambda c=case: services.prepare(officer, c.pk, expected_version=1)] * racers)
        assert Counter(kind for kind, _ in outcomes) == {"won": 1, "lost": racers - 1}, outcomes
        for kind, result in outcomes:
            if kind == "lost":
                assert result.status == 409

    for case in cases[:2]:
        version = RelocationCase.objects.get(pk=case.pk).version
        calls = [
            lambda c=case, v=version: services.approve(supervisor, c.pk, legal_ground="Decree 1", expected_version=v),
            lambda c=case, v=version: services.reject(
                officer2, c.pk, reason="No", legal_ground="Rules", expected_version=v
            ),
            lambda c=case, v=version: services.withdraw(officer, c.pk, reason="Asked to", expected_version=v),
        ] * 2
        outcomes = _race(calls)
        assert Counter(kind for kind, _ in outcomes) == {"won": 1, "lost": 5}, outcomes

    for case in cases[2:]:
        calls = [
            lambda c=case: services.reject(officer2, c.pk, reason="No", legal_ground="Rules"),
            lambda c=case: services.withdraw(officer, c.pk, reason="Asked to"),
        ] * 3
        outcomes = _race(calls)
        assert Counter(kind for kind, _ in outcomes) == {"won": 1, "lost": 5}, outcomes

    for case in cases:
        case.refresh_from_db()
        assert selectors.history_gaps(case) == []
        # One row per version: two prepares, then one decision of the race; nothing lost, nothing doubled.
        assert CaseTransition.objects.filter(case=case).count() == case.version == 3
        assert case.decisions.count() <= 1
        assert audit.verify([services.case_chain(case)]) == []
