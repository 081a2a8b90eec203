"""Fit reasons in the reader's language: the fit engine's codes and parameters worded through gettext.

The engine (:mod:`talentgate.engines.fit.explain`) stores each reason as ``{"code", "params"}``
with codes, numbers and labels only; here each code has one translatable sentence, filled in the
language active when the page or API response is rendered, so the same stored result reads in
English or Russian. Language names come from CLDR (Babel) in the reader's language; a reason
stored as plain text by an older run is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from babel import Locale, UnknownLocaleError
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

#: ISCED 2011 degree levels as the fit engine counts them (0 = none).
DEGREE_NAMES = {
    0: _("no degree"),
    3: _("secondary school"),
    5: _("short-cycle tertiary"),
    6: _("bachelor's"),
    7: _("master's"),
    8: _("doctorate"),
}


def _language(code: str) -> str:
    """The language's CLDR name in the reader's language (``ru`` -> "Russian" / "русский"), else the code."""
    try:
        locale = Locale.parse((get_language() or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale("en")
    return str(locale.languages.get(code, code))


def _degree(level: Any) -> str:
    name = DEGREE_NAMES.get(int(level))
    return str(name) if name is not None else gettext("level %(level)d") % {"level": int(level)}


def _cefr(level: str) -> str:
    return gettext("none") if level == "none" else level


def _date(iso: str) -> str:
    import datetime as dt

    try:
        return str(date_format(dt.date.fromisoformat(iso), "DATE_FORMAT"))
    except (TypeError, ValueError):
        return str(iso)


def _years(value: Any) -> str:
    number = float(value)
    return f"{number:g}"


def render_reason(reason: Any) -> str:
    """One stored reason as a sentence in the active language; an unknown code shows as the code."""
    if isinstance(reason, str):
        return reason  # written by a run from before reasons were codes
    if not isinstance(reason, Mapping):
        return str(reason)
    code = str(reason.get("code", ""))
    p: Mapping[str, Any] = reason.get("params") or {}
    if code == "required_skills":
        matched, missing = list(p.get("matched", [])), list(p.get("missing", []))
        text = ngettext(
            "matches %(matched)d of %(required)d required skill",
            "matches %(matched)d of %(required)d required skills",
            int(p.get("required", 0)),
        ) % {"matched": len(matched), "required": int(p.get("required", 0))}
        if matched:
            text += ": " + ", ".join(matched)
        if missing:
            text += "; " + gettext("missing: %(skills)s") % {"skills": ", ".join(missing)}
        return text
    if code == "optional_skills":
        return ngettext(
            "has %(matched)d of %(total)d desirable skill",
            "has %(matched)d of %(total)d desirable skills",
            int(p.get("total", 0)),
        ) % {"matched": int(p.get("matched", 0)), "total": int(p.get("total", 0))}
    if code == "occupation_matches":
        return gettext("occupation matches: %(occupation)s") % {"occupation": p.get("occupation", "")}
    if code == "occupation_differs":
        return gettext("occupation differs from the one sought")
    if code == "experience":
        return gettext("%(years)s years of experience, %(sought)s sought") % {
            "years": _years(p.get("years", 0)),
            "sought": _years(p.get("sought", 0)),
        }
    if code == "language_below":
        return pgettext("fit reason", "%(language)s %(required)s required, candidate has %(has)s") % {
            "language": _language(str(p.get("language", ""))),
            "required": _cefr(str(p.get("required", ""))),
            "has": _cefr(str(p.get("has", ""))),
        }
    if code == "degree_below":
        return gettext("%(required)s degree required, candidate has %(has)s") % {
            "required": _degree(p.get("required", 0)),
            "has": _degree(p.get("has", 0)),
        }
    if code == "starts_too_late":
        return gettext("available from %(available)s, after the latest start %(latest)s") % {
            "available": _date(str(p.get("available_from", ""))),
            "latest": _date(str(p.get("latest_start", ""))),
        }
    if code == "no_places_left":
        return gettext("no places left")
    return code


def render_reasons(reasons: Iterable[Any]) -> list[str]:
    """Every stored reason of a result, worded in the active language, in order."""
    return [render_reason(reason) for reason in reasons or []]
