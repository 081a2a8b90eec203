"""The text a candidate agrees to for each consent purpose, and its current version.

A consent row stores the purpose and the version of the text the person saw; when a text
changes, its version changes too, and people are asked again (their older consent stays in
the history). The portal shows these texts and the API returns them, so both ask for the
same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from talentgate.canonical import ConsentPurpose
from talentgate.common.errors import ValidationFailed


@dataclass(frozen=True)
class ConsentText:
    """One purpose's current wording (``title`` and ``text``, translated) and its ``version``."""

    purpose: ConsentPurpose
    version: str
    title: str | Promise
    text: str | Promise


CONSENT_TEXTS: dict[ConsentPurpose, ConsentText] = {
    ConsentPurpose.MATCHED_HOSTS: ConsentText(
        ConsentPurpose.MATCHED_HOSTS,
        "2026-01",
        _("Shown to matched host organisations"),
        _(
            "Host organisations whose opportunities match my profile may see my profile and documents "
            "(not my identity document numbers) to decide whether to make me an offer."
        ),
    ),
    ConsentPurpose.AUTHORITY_HANDOFF: ConsentText(
        ConsentPurpose.AUTHORITY_HANDOFF,
        "2026-01",
        _("Handed to the immigration authority"),
        _(
            "When my application is approved, the programme may hand my profile and documents to the "
            "immigration authority so that it can process my visa, permit and residence. "
            "An application cannot be submitted without this consent."
        ),
    ),
    ConsentPurpose.ANONYMISED_ANALYTICS: ConsentText(
        ConsentPurpose.ANONYMISED_ANALYTICS,
        "2026-01",
        _("Anonymised analytics"),
        _(
            "My data may be counted in anonymised statistics about the programme (funnels, sectors, "
            "regions); no one can tell from them who I am."
        ),
    ),
}


def current_text(purpose: str) -> ConsentText:
    """The current text of ``purpose``; refuses an unknown purpose, naming the field ``purpose``."""
    try:
        return CONSENT_TEXTS[ConsentPurpose(purpose)]
    except ValueError:
        names = ", ".join(p.value for p in ConsentPurpose)
        raise ValidationFailed.single(
            "purpose", "enum", gettext("Choose one of: %(choices)s.") % {"choices": names}
        ) from None


def check_current_version(purpose: str, version: str) -> ConsentText:
    """Refuse (field ``version``) a consent to a text other than the current one: people agree to what they saw."""
    text = current_text(purpose)
    if version != text.version:
        raise ValidationFailed.single(
            "version",
            "not_current",
            gettext("The current text for '%(purpose)s' is version %(version)s; read it and consent to that.")
            % {"purpose": text.purpose.value, "version": text.version},
        )
    return text
