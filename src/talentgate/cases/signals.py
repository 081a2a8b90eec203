"""Signals the cases app sends inside the transaction of the change they describe.

A receiver's writes therefore commit or roll back with the change (the authority hand-off
records its outgoing submission on ``case_transitioned`` to ``submitted``, for example); a
receiver that raises undoes the transition.
"""

from __future__ import annotations

from django.dispatch import Signal

#: Sent after a case was opened. Arguments: ``case``, ``actor``.
case_opened = Signal()

#: Sent after a case moved. Arguments: ``case``, ``transition`` (the ``CaseTransition`` row),
#: ``decision`` (the ``Decision`` or ``None``), ``actor``.
case_transitioned = Signal()
