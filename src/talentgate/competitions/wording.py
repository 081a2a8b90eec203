"""Sentences of the competition records, in the reader's language: conflict reasons and the assignment's why.

The services store codes with their parameters (``{"code": "same_country", "country": "BR"}``; the
review-assignment core's codes); the pages word them here, at the edge, with gettext.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language, gettext, ngettext

from talentgate.engines.review_assignment import CAPACITY_USED, LEAST_LARGEST_LOAD, TOO_FEW_ELIGIBLE


def _country(code: str) -> str:
    try:
        locale = Locale.parse((get_language() or "en").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return code
    return str(locale.territories.get(code, code))


def conflict_reason(reason: Mapping[str, Any]) -> str:
    """One recorded conflict reason (``{"code": ..., <parameter>: ...}``) as a sentence."""
    code = reason.get("code", "")
    params = reason
    if code == "self":
        return gettext("the reviewer is the candidate")
    if code == "same_institution":
        return gettext("both at %(institution)s") % {"institution": params.get("institution", "")}
    if code == "declared":
        note = params.get("note", "")
        return gettext("declared conflict: %(note)s") % {"note": note} if note else gettext("declared conflict")
    if code == "coauthorship":
        return ngettext(
            "co-authorship in %(year)s, within %(years)s year",
            "co-authorship in %(year)s, within %(years)s years",
            int(params.get("years", 0)),
        ) % {"year": params.get("year", ""), "years": params.get("years", "")}
    if code == "same_country":
        return gettext("both from %(country)s") % {"country": _country(str(params.get("country", "")))}
    if code == "conflicted":
        return gettext("declared conflicted")
    return str(code)


def conflict_reasons(reasons: list[Mapping[str, Any]] | list[str]) -> str:
    """Every reason of a conflict (recorded dicts, or the codes an exclusion keeps), joined."""
    return "; ".join(conflict_reason(r if isinstance(r, Mapping) else {"code": r}) for r in reasons)


def pair_reason(code: str, *, load: int, max_load: int, reviews_per_submission: int) -> str:
    """Why a reviewer got a submission (the core's pair code and the reviewer's load)."""
    if code == LEAST_LARGEST_LOAD:
        return ngettext(
            "no conflict; this reviewer carries %(load)s of the largest load %(max_load)s, the smallest that gives "
            "every submission %(k)s review",
            "no conflict; this reviewer carries %(load)s of the largest load %(max_load)s, the smallest that gives "
            "every submission %(k)s reviews",
            reviews_per_submission,
        ) % {"load": load, "max_load": max_load, "k": reviews_per_submission}
    return ngettext(
        "no conflict; this reviewer carries %(load)s review",
        "no conflict; this reviewer carries %(load)s reviews",
        load,
    ) % {"load": load}


def uncovered_reason(uncovered: Mapping[str, Any]) -> str:
    """Why a submission could not get its reviews (a stored row of ``AssignmentRun.uncovered``)."""
    code = uncovered.get("code")
    if code == TOO_FEW_ELIGIBLE:
        return ngettext(
            "only %(eligible)s of %(reviewers)s reviewers are free of conflicts; %(needed)s needed",
            "only %(eligible)s of %(reviewers)s reviewers are free of conflicts; %(needed)s needed",
            int(uncovered.get("reviewers", 0)),
        ) % {
            "eligible": uncovered.get("eligible_reviewers"),
            "reviewers": uncovered.get("reviewers"),
            "needed": uncovered.get("needed"),
        }
    if code == CAPACITY_USED:
        return gettext("%(eligible)s reviewers are free of conflicts but their capacity of %(capacity)s is used up") % {
            "eligible": uncovered.get("eligible_reviewers"),
            "capacity": uncovered.get("capacity"),
        }
    return str(uncovered.get("reason", code or ""))


def run_summary(*, feasible: bool, assigned: int, max_load: int, lower_bound: int, uncovered: int) -> str:
    """One sentence for an assignment run."""
    if feasible:
        return ngettext(
            "%(assigned)s review assigned; largest load %(max_load)s (no assignment can do better; "
            "average-load bound %(lower_bound)s).",
            "%(assigned)s reviews assigned; largest load %(max_load)s (no assignment can do better; "
            "average-load bound %(lower_bound)s).",
            assigned,
        ) % {"assigned": assigned, "max_load": max_load, "lower_bound": lower_bound}
    return ngettext(
        "%(uncovered)s submission cannot get its reviews; %(assigned)s assigned, largest load %(max_load)s.",
        "%(uncovered)s submissions cannot get their reviews; %(assigned)s assigned, largest load %(max_load)s.",
        uncovered,
    ) % {"uncovered": uncovered, "assigned": assigned, "max_load": max_load}
