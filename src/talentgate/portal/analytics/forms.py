"""The dashboard's filter form: it only collects the filters; ``analytics.filters.parse_filters`` checks them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from talentgate.analytics.filters import Filters, parse_filters
from talentgate.common.errors import ValidationFailed

ANY = ("", _("Any"))


class DashboardFilterForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=40,
        help_text=_("A year (2026), a quarter (2026-Q1) or a range (2026-01-01..2026-06-30); empty: this year."),
    )
    sector = forms.ChoiceField(label=_("Priority sector"), required=False)
    bloc = forms.ChoiceField(label=_("Bloc (membership as of the period's end)"), required=False)
    host = forms.ChoiceField(label=_("Host organisation"), required=False)

    def __init__(self, *args: Any, choices: dict[str, list[tuple[str, str]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("sector", "bloc", "host"):
            self.fields[name].choices = [ANY, *choices[name]]  # type: ignore[attr-defined]
        self.filters: Filters | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            self.filters = parse_filters(
                data.get("period", ""), data.get("sector", ""), data.get("bloc", ""), data.get("host") or None
            )
        except ValidationFailed as failed:
            for error in failed.errors:
                self.add_error(error.field or None, error.message)
        return data
