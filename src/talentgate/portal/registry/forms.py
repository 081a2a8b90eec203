"""Filter forms of the registry pages: they only collect the filters; the selectors apply them.

Choices come from the registry itself (blocs, organisations, M49 regions), so a filter can only name
something that exists; an unknown value or a malformed date is shown next to its field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentgate.cooperation import selectors
from talentgate.cooperation.models import MembershipKind
from talentgate.portal.templatetags.portal_labels import local_name
from talentgate.reference.regions import region_name

ANY = ("", _("Any"))


def _russian() -> bool:
    return (get_language() or "en").startswith("ru")


def _bloc_choices(actor: Any) -> list[tuple[str, Any]]:
    """Blocs by acronym in the reader's language (БРИКС, ШОС) where the registry has one."""
    russian = _russian()
    return [
        ANY,
        *((b.code, (b.acronym_ru if russian else "") or b.acronym_en) for b in selectors.blocs_visible_to(actor)),
    ]


def _organisation_choices(actor: Any) -> list[tuple[str, Any]]:
    """Organisations by acronym (international, as written) or else by name in the reader's language."""
    return [ANY, *((o.code, o.acronym or local_name(o)) for o in selectors.organisations_visible_to(actor))]


class AsOfForm(forms.Form):
    on = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Show the memberships holding on this day (default: today)."),
    )


class MembershipFilterForm(AsOfForm):
    kind = forms.ChoiceField(label=_("Kind of membership"), required=False, choices=[ANY, *MembershipKind.choices])


def _region_choices() -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    regions = selectors.m49_regions()
    language = get_language() or "en"
    return (
        [ANY, *((r.name, region_name(r.name, language)) for r in regions)],
        [ANY, *((sub, region_name(sub, language)) for r in regions for sub, _inter in r.sub_regions if sub)],
    )


class CountryFilterForm(AsOfForm):
    search = forms.CharField(label=_("Name or code"), required=False, max_length=80)
    bloc = forms.ChoiceField(label=_("Bloc"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    kind = forms.ChoiceField(
        label=_("Counted as"),
        required=False,
        choices=[("", _("members")), *MembershipKind.choices],
        help_text=_("The kind of membership a bloc or organisation filter counts."),
    )
    region = forms.ChoiceField(label=_("Region (UN M49)"), required=False)
    sub_region = forms.ChoiceField(label=_("Sub-region (UN M49)"), required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bloc"].choices = _bloc_choices(actor)  # type: ignore[attr-defined]
        self.fields["organisation"].choices = _organisation_choices(actor)  # type: ignore[attr-defined]
        regions, sub_regions = _region_choices()
        self.fields["region"].choices = regions  # type: ignore[attr-defined]
        self.fields["sub_region"].choices = sub_regions  # type: ignore[attr-defined]

    def query(self) -> selectors.CountryFilter:
        data = self.cleaned_data
        return selectors.CountryFilter(
            bloc=data.get("bloc") or "",
            organisation=data.get("organisation") or "",
            region=data.get("region") or "",
            sub_region=data.get("sub_region") or "",
            kinds=(data["kind"],) if data.get("kind") else (),
            on=data.get("on"),
            search=data.get("search") or "",
        )


class AgreementFilterForm(AsOfForm):
    bloc = forms.ChoiceField(label=_("A party in the bloc"), required=False)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    country = forms.CharField(
        label=_("Country code"), required=False, max_length=2, help_text=_("ISO 3166-1 alpha-2, e.g. EG.")
    )
    area = forms.ChoiceField(label=_("Area of science"), required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._actor = actor
        self.fields["on"].help_text = _("The day a bloc's countries are taken on (default: today).")
        self.fields["bloc"].choices = _bloc_choices(actor)  # type: ignore[attr-defined]
        self.fields["organisation"].choices = _organisation_choices(actor)  # type: ignore[attr-defined]
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ANY,
            *((a.code, f"{a.code} {local_name(a)}") for a in selectors.science_areas_visible_to(actor)),
        ]

    def clean_country(self) -> str:
        code = (self.cleaned_data.get("country") or "").strip().upper()
        if code and not selectors.countries_visible_to(self._actor).filter(iso_alpha2=code).exists():
            raise forms.ValidationError(
                _("'%(code)s' is not a country code of the M49 table."), code="unknown_country", params={"code": code}
            )
        return code

    def query(self) -> selectors.AgreementFilter:
        data = self.cleaned_data
        return selectors.AgreementFilter(
            country=data.get("country") or "",
            organisation=data.get("organisation") or "",
            bloc=data.get("bloc") or "",
            area=data.get("area") or "",
            on=data.get("on"),
        )


class FacilityFilterForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Operator"), required=False)
    region = forms.ChoiceField(label=_("Region (UN M49)"), required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = _organisation_choices(actor)  # type: ignore[attr-defined]
        self.fields["region"].choices = _region_choices()[0]  # type: ignore[attr-defined]


class OrganisationFilterForm(forms.Form):
    bloc = forms.ChoiceField(label=_("Body of the bloc"), required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bloc"].choices = _bloc_choices(actor)  # type: ignore[attr-defined]


class QuotaFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
