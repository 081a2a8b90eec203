"""Signals the hosts app sends inside the transaction of the change they describe, so receivers' writes
commit or roll back with it (the cases app opens a relocation case on ``offer_accepted``)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent after an offer was accepted and saved, before the transaction commits. Arguments: ``offer``, ``actor``.
offer_accepted = Signal()
