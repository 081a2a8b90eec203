"""Where the hand-off joins the case workflow: a case entering 'submitted' gets its submission.

Connected to ``cases.signals.case_transitioned``, which is sent inside the transition's
transaction, so the submission (and its audit entry) commit with the transition or not at all.
"""

from __future__ import annotations

from typing import Any

from talentgate.authority import services

SUBMITTED = "submitted"


def on_case_transitioned(sender: Any, *, case: Any, transition: Any, actor: Any, **kwargs: Any) -> None:
    """Record the outgoing submission when a case is submitted to the authority (including a resubmission)."""
    if transition.to_stage == SUBMITTED:
        services.create_submission(actor, case)
