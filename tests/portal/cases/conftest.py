"""Fixtures for the relocation-case pages: a case opened the real way (a host's offer accepted) and moved
through the services with the people each step needs."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from case_documents import provide_documents
from talentgate.cases import services

_ids = itertools.count(1)


@pytest.fixture
def prepared(officer, officer2):
    """``prepared(case)``: documents provided and verified, then prepared by ``officer``."""

    def _prepared(case):
        provide_documents(case, officer, verify_with=officer2)
        return services.prepare(officer, case.pk)

    return _prepared


@pytest.fixture
def granted(prepared, officer, supervisor, authority):
    """``granted(case)``: prepared, approved, submitted, and the permit granted."""

    def _granted(case):
        prepared(case)
        services.approve(supervisor, case.pk, legal_ground="Decree 1")
        services.submit_to_authority(officer, case.pk)
        today = timezone.localdate()
        permit = services.PermitIn("highly_qualified", "HQ-77-123456", today, today, today + timedelta(days=1000))
        return services.grant_permit(authority, case.pk, permit=permit, legal_ground="Law 115-FZ art. 13.2")

    return _granted


@pytest.fixture
def provide(officer, officer2):
    """``provide(case, verify=True)``: every required document provided by ``officer`` (verified by ``officer2``)."""

    def _provide(case, verify: bool = True):
        provide_documents(case, officer, verify_with=officer2 if verify else None)

    return _provide
