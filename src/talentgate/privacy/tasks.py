"""Background task of privacy: the scheduled retention run (``talentgate schedule`` or the worker calls it)."""

from __future__ import annotations

from typing import Any

from talentgate.privacy.retention import apply_retention


def run_retention() -> dict[str, Any]:
    """Apply the retention periods now and return the run's report (see ``privacy.retention``)."""
    return apply_retention().as_dict()
