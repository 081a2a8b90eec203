"""The registry of notification kinds: what each is called, whether it is essential, and where its texts live.

A kind's texts are two templates under ``notifications/kinds/<code>/``: ``subject.txt`` (one
line: the e-mail subject and the in-app title) and ``message.txt`` (the message itself, shown in
the portal and wrapped into the e-mail body). Both are rendered with the notification's
``context`` plus the labels :mod:`talentgate.notifications.rendering` derives from it.

An *essential* kind (a decision, a request with a due date) is always e-mailed; a person can
turn off e-mails of the other kinds. A caller may mark one notification of a non-essential
kind essential (``notify(..., essential=True)``), never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    """One kind of notification: ``code`` is the stored machine name; ``label`` and ``description`` are for people."""

    code: str
    label: Any  # a gettext_lazy proxy: the preferences page shows it in the reader's language
    description: Any
    essential: bool

    @property
    def subject_template(self) -> str:
        return f"notifications/kinds/{self.code}/subject.txt"

    @property
    def message_template(self) -> str:
        return f"notifications/kinds/{self.code}/message.txt"


class UnknownKind(ValueError):
    """A caller named a kind nobody registered: a programming error, so it is raised, never swallowed."""


_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add ``kind`` to the registry (another app may register its own kinds, with its own templates)."""
    existing = _REGISTRY.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {kind.code!r} is already registered differently.")
    _REGISTRY[kind.code] = kind
    return kind


def get_kind(code: str) -> Kind:
    """The registered kind called ``code``; :class:`UnknownKind` otherwise."""
    try:
        return _REGISTRY[code]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise UnknownKind(f"Unknown notification kind {code!r}; registered kinds: {known}.") from None


def all_kinds() -> list[Kind]:
    """Every registered kind, in registration order (the order the preferences page lists them)."""
    return list(_REGISTRY.values())


def optional_kinds() -> list[Kind]:
    """The kinds a person may turn off."""
    return [kind for kind in _REGISTRY.values() if not kind.essential]


# Context each kind's templates read (all optional unless said): ``object`` (an English noun such as
# "application", "offer", "case"), ``object_id``, ``title`` or ``title_en``/``title_ru`` (what the
# object is called, e.g. the programme or opportunity), ``model`` ("app_label.Model") with
# ``to_state``/``from_state`` (state codes; labels are looked up on the model's state field,
# ``state_field``, default "status"), ``reason``, ``due_date`` (ISO date), ``question``.

STATUS_CHANGED = register(
    Kind(
        "status_changed",
        _("Status changes"),
        _("One of your applications or cases moved to a new stage."),
        essential=False,
    )
)
DECISION_MADE = register(
    Kind(
        "decision_made",
        _("Decisions"),
        _("A decision on your application or case (an approval, a refusal, a rejection, a permit)."),
        essential=True,
    )
)
INFORMATION_REQUESTED = register(
    Kind(
        "information_requested",
        _("Requests for information"),
        _("An officer asks you for information or a document by a due date."),
        essential=True,
    )
)
INFORMATION_PROVIDED = register(
    Kind(
        "information_provided",
        _("Answers to requests"),
        _("Someone answered a request for information you made."),
        essential=False,
    )
)
MESSAGE_RECEIVED = register(
    Kind(
        "message_received",
        _("Messages"),
        _("A new message in the thread of one of your cases."),
        essential=False,
    )
)
DEADLINE_APPROACHING = register(
    Kind(
        "deadline_approaching",
        _("Approaching deadlines"),
        _("A reminder that something is due soon."),
        essential=False,
    )
)
DEADLINE_PASSED = register(
    Kind(
        "deadline_passed",
        _("Missed deadlines"),
        _("Something was due and is now overdue (for staff: an escalation)."),
        essential=True,
    )
)
OFFER_MADE = register(
    Kind(
        "offer_made",
        _("Offers"),
        _("A host organisation made you an offer; it expires on a date."),
        essential=True,
    )
)
OFFER_ACCEPTED = register(
    Kind(
        "offer_accepted",
        _("Offers accepted"),
        _("A candidate accepted an offer your organisation made."),
        essential=False,
    )
)
OFFER_DECLINED = register(
    Kind(
        "offer_declined",
        _("Offers declined"),
        _("A candidate declined an offer your organisation made."),
        essential=False,
    )
)
OFFER_WITHDRAWN = register(
    Kind(
        "offer_withdrawn",
        _("Offers withdrawn"),
        _("A host organisation withdrew an offer it made you."),
        essential=True,
    )
)
OFFER_LAPSED = register(
    Kind(
        "offer_lapsed",
        _("Offers lapsed"),
        _("An offer expired before anyone answered it."),
        essential=False,
    )
)
