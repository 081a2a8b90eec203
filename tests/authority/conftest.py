"""Fixtures of the hand-off tests (helpers in ``authority_kit``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from authority_kit import PUSH_URL, SECRET, make_case


@pytest.fixture(autouse=True)
def authority_settings(settings):
    settings.AUTHORITY_CALLBACK_SECRET = SECRET
    settings.AUTHORITY_PUSH_URL = PUSH_URL
    settings.AUTHORITY_SIGNATURE_TOLERANCE_SECONDS = 300
    settings.AUTHORITY_PUSH_MAX_ATTEMPTS = 4
    settings.AUTHORITY_PUSH_BACKOFF_SECONDS = 30.0
    settings.AUTHORITY_PUSH_BACKOFF_MAX_SECONDS = 3600.0
    return settings


@pytest.fixture
def submitted_case(db):
    return make_case()
