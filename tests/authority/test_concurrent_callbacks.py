"""Callbacks arriving at the same moment on PostgreSQL: one decision is applied, every other copy is a duplicate
(a fresh nonce) or a replay (the same nonce), and the case moves once."""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from authority_kit import SECRET, make_case
from django.conf import settings
from django.db import connection

from talentgate.authority import services
from talentgate.authority.protocol import signature_header
from talentgate.cases.models import Decision, Permit, RelocationCase, Stage
from talentgate.common import audit
from talentgate.common.errors import DomainError

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PATH = "/api/authority/callbacks/decision"


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call().outcome
        except DomainError as refusal:
            outcomes[index] = refusal.errors[0].rule
        except Exception as exc:  # reported, never hidden
            outcomes[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL=postgres://...)")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_copies_of_a_decision_apply_it_once():
    case = make_case()
    submission = services.create_submission(None, case)
    body = json.dumps(
        {
            "idempotency_key": submission.idempotency_key,
            "decision": "grant",
            "legal_ground": "Decree on highly qualified specialists, art. 13.2",
            "permit": {
                "permit_type": "highly_qualified",
                "number": "HQS-1",
                "valid_from": "2027-01-10",
                "valid_until": "2030-01-09",
            },
        }
    ).encode()
    same_request = signature_header(SECRET, "POST", PATH, body)
    calls = [lambda: services.receive_decision("POST", PATH, same_request, body)] * 3 + [
        lambda: services.receive_decision("POST", PATH, signature_header(SECRET, "POST", PATH, body), body)
    ] * 3
    outcomes = _race(calls)
    counts = Counter(outcomes)
    assert counts["applied"] == 1, outcomes
    # The three copies of one request: one got through (applied or duplicate), two were replays.
    assert counts["replayed_nonce"] == 2, outcomes
    assert counts["duplicate"] == 3, outcomes
    assert RelocationCase.objects.get(pk=case.pk).stage == Stage.PERMIT_GRANTED
    assert Permit.objects.filter(case=case).count() == 1
    assert Decision.objects.filter(case=case).count() == 1
    assert audit.verify([audit.chain_for_case(case.pk)]) == []
