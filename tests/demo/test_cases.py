"""The demo's relocation cases: one per accepted offer, every stage reached, histories contiguous, chains intact."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from talentgate.cases import selectors
from talentgate.cases.guards import FOLLOW_UP_6M_DAYS
from talentgate.cases.models import Decision, Permit, RelocationCase, Stage
from talentgate.common import audit
from talentgate.demo.cases import plan_case
from talentgate.demo.loader import demo_counts, load_demo
from talentgate.hosts.models import Offer

AS_OF = date(2026, 6, 15)
NOW = datetime(2026, 6, 15, 18, tzinfo=UTC)


def test_plans_reach_every_stage_in_order_and_wait_for_the_follow_ups():
    reached: set[str] = set()
    for index in range(3000):
        opened = NOW - timedelta(days=index % 900, hours=index % 13)
        plan = plan_case(index, opened, NOW)
        stage, at = "opened", opened
        for step in plan.steps:
            assert step.from_stage == stage
            assert at <= step.at < NOW
            stage, at = step.to_stage, step.at
        reached.add(plan.stage)
        arrived = plan.arrived_at
        follow_up = next((s for s in plan.steps if s.to_stage == "follow_up_6m"), None)
        if follow_up is not None:
            assert arrived is not None
            assert (follow_up.at - arrived).days >= FOLLOW_UP_6M_DAYS
    assert reached == set(Stage.values)
    assert plan_case(7, NOW.replace(year=2025), NOW) == plan_case(7, NOW.replace(year=2025), NOW)


@pytest.mark.django_db
def test_demo_load_opens_a_case_per_accepted_offer_with_history_and_audit():
    report = load_demo(400, seed=3, as_of=AS_OF, batch_size=150)
    accepted = Offer.objects.filter(status="accepted").count()
    assert report.cases_added == RelocationCase.objects.count() == accepted > 0
    stages = set(RelocationCase.objects.values_list("stage", flat=True))
    assert len(stages) >= 6
    assert demo_counts()[f"cases.{next(iter(stages))}"] >= 1
    for case in RelocationCase.objects.all():
        assert selectors.history_gaps(case) == []
        assert case.version == case.history.count()
    granted = RelocationCase.objects.filter(history__to_stage="permit_granted").distinct().count()
    assert Permit.objects.count() == granted
    assert Decision.objects.filter(kind="grant").count() == granted
    chains = [f"case:{pk}" for pk in RelocationCase.objects.values_list("pk", flat=True)]
    assert audit.verify(chains) == []
