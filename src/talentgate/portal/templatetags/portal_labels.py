"""Names for people of the codes the canonical profile stores: enum values, consent purposes and countries.

Pages show a canonical value (``"police_clearance"``, ``"authority_handoff"``, ``"NG"``) in the
visitor's language: enum values by the translated labels of ``portal.candidate.labels``, consent
purposes by their short names, countries by CLDR's names (babel) for the active
language; in English a country keeps the name of our reference table when the page passes it.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language, pgettext_lazy

from talentgate import canonical
from talentgate.canonical import ConsentPurpose
from talentgate.portal.candidate import labels, wizard

register = template.Library()


@register.filter
def enum_label(value: Any, enum_name: str) -> str:
    """``{{ document.kind|enum_label:"DocumentKind" }}``: the translated label of a canonical enum value."""
    if value in (None, ""):
        return ""
    enum = getattr(canonical, enum_name)
    try:
        member = enum(value)
    except ValueError:
        return str(value)
    label = labels.ENUM_LABELS.get(member)
    return str(label) if label is not None else str(value).replace("_", " ")


#: Consent purposes as short names (context "consent purpose"); English is the code with spaces.
PURPOSE_NAMES = {
    ConsentPurpose.MATCHED_HOSTS.value: pgettext_lazy("consent purpose", "matched hosts"),
    ConsentPurpose.AUTHORITY_HANDOFF.value: pgettext_lazy("consent purpose", "authority handoff"),
    ConsentPurpose.ANONYMISED_ANALYTICS.value: pgettext_lazy("consent purpose", "anonymised analytics"),
}


@register.filter
def consent_purpose(purpose: Any) -> str:
    """``{{ consent.purpose|consent_purpose }}``: the purpose's short name in the active language."""
    name = PURPOSE_NAMES.get(str(purpose))
    return str(name) if name is not None else str(purpose).replace("_", " ")


@register.filter
def country_name(code: Any, english_name: str = "") -> str:
    """``{{ code|country_name:reference_name }}``: the country's name in the active language.

    English pages keep ``english_name`` (our reference table's name) when it is given.
    """
    if not code:
        return ""
    language = get_language() or "en"
    if english_name and language.split("-")[0] == "en":
        return english_name
    return wizard.country_names(language).get(str(code).upper(), english_name or str(code))


@register.filter
def local_name(obj: Any) -> str:
    """``{{ programme|local_name }}``: ``name_ru`` on a Russian page when it is filled in, else ``name_en``."""
    if obj is None:
        return ""
    language = (get_language() or "en").split("-")[0]
    localised = getattr(obj, f"name_{language}", "") if language != "en" else ""
    return str(localised or obj.name_en)
