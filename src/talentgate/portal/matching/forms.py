"""Forms of the matching pages. They only collect input: the rules live in ``matching.services``, whose errors
are shown next to the field they name (``opportunity_ids[2]`` goes next to ``opportunity_ids``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentgate.common.errors import DomainError


def show_domain_error(form: forms.Form, error: DomainError) -> None:
    """Each service error next to the field it names (an entry of a list next to the list's field)."""
    for item in error.errors:
        name = item.field.split("[", 1)[0]
        form.add_error(name if name in form.fields else None, item.message)


class RunForm(forms.Form):
    programme_id = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    preferences_deadline = forms.DateTimeField(
        label=_("Deadline for ranked lists"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Candidates and hosts may submit ranked lists until this moment."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        initial=0,
        min_value=0,
        help_text=_("Breaks ties in the fit score; the same data and seed give the same result."),
    )

    def __init__(self, *args: Any, programmes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme_id"].choices = programmes  # type: ignore[attr-defined]


def _ids(value: str) -> list[Any]:
    """``"12, 7 3"`` -> ``[12, 7, 3]``; a part that is not a whole number stays text so the service names it."""
    parts = [p for p in value.replace(",", " ").split() if p]
    return [int(p) if p.isdigit() else p for p in parts]


class RankingForm(forms.Form):
    """A ranked list typed as ids, best first (the page lists the ids to choose from)."""

    ids = forms.CharField(
        label=_("Your ranked list"),
        required=False,
        help_text=_("Ids, best first, separated by commas or spaces."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, field_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_name = field_name

    def clean_ids(self) -> str:
        value: str = self.cleaned_data.get("ids") or ""
        for number, part in enumerate(_ids(value), start=1):
            if not isinstance(part, int):
                raise forms.ValidationError(
                    _("Entry %(number)d, '%(value)s', is not a whole-number id."),
                    code="integer",
                    params={"number": number, "value": part[:20]},
                )
        return value

    def ranked_ids(self) -> list[Any]:
        return _ids(self.cleaned_data.get("ids") or "")

    def show(self, error: DomainError) -> None:
        for item in error.errors:
            self.add_error("ids" if item.field.startswith(self.field_name) else None, item.message)


class PartnerForm(forms.Form):
    """The partner of a proposed couple, named by their application id (they find it on their couple page)."""

    partner_application_id = forms.IntegerField(
        label=_("Your partner's application id"),
        min_value=1,
        help_text=_("Your partner finds it on this page of their own account."),
    )


def _pair_token(token: str) -> Any:
    return None if token == "-" else int(token) if token.isdigit() else token


class CoupleRankingForm(forms.Form):
    """A couple's joint ranked list typed one pair a line, as seen by the member typing it: theirs, then the partner's.

    ``-`` stands for "no place" for that member in that pair. :meth:`pairs` turns the lines into the
    service's order (the proposing member first), so the page can speak of "you" and "your partner".
    """

    lines = forms.CharField(
        label=_("Your joint ranked list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"}),
        help_text=_("One pair a line, best first: your opportunity id, then your partner's; '-' for no place."),
    )

    def __init__(self, *args: Any, swap: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.swap = swap

    @staticmethod
    def as_lines(ranking: list[list[int | None]], swap: bool) -> str:
        """A stored ranking as the member sees it (their own id first)."""
        rows = [list(reversed(pair)) if swap else pair for pair in ranking]
        return "\n".join(" ".join("-" if v is None else str(v) for v in row) for row in rows)

    def clean_lines(self) -> str:
        value: str = self.cleaned_data.get("lines") or ""
        for number, line in enumerate((row for row in value.splitlines() if row.strip()), start=1):
            if len(line.replace(",", " ").split()) != 2:
                raise forms.ValidationError(
                    _("Line %(number)d must hold two entries: your opportunity id and your partner's (or '-')."),
                    code="pair",
                    params={"number": number},
                )
        return value

    def pairs(self) -> list[Any]:
        result: list[Any] = []
        for line in (row for row in (self.cleaned_data.get("lines") or "").splitlines() if row.strip()):
            pair = [_pair_token(token) for token in line.replace(",", " ").split()]
            result.append(list(reversed(pair)) if self.swap else pair)
        return result

    def show(self, error: DomainError) -> None:
        for item in error.errors:
            self.add_error("lines" if item.field.startswith("pairs") else None, item.message)
