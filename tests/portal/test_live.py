"""Live validation of the staff forms: the input itself carries the htmx attributes and fires on leaving it
changed, so a keyboard user arrowing through a select or typing a date is never swapped out of the field."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from talentgate.portal.cases import forms as case_forms
from talentgate.portal.live import LIVE_TRIGGER, ScopedLiveForm
from talentgate.portal.officer import forms as officer_forms


def test_a_live_field_posts_on_leaving_it_changed_and_swaps_its_own_group():
    form = case_forms.TransitionForm(scope="transition-grant-permit", transition="grant_permit")
    attrs = form.fields["number"].widget.attrs
    assert LIVE_TRIGGER == "blur changed"
    assert attrs["hx-trigger"] == LIVE_TRIGGER
    url = reverse("portal:cases:validate", args=["transition", "number"])
    assert attrs["hx-post"] == f"{url}?scope=transition-grant-permit"
    assert attrs["hx-target"] == f"#{form['number'].auto_id}_field"
    html = render_to_string("portal/cases/_field.html", {"form": form, "field": form["number"]})
    group = html[html.index("<div") : html.index(">", html.index("<div")) + 1]
    assert group == '<div class="field" id="transition-grant-permit-number_field">'  # no trigger on the group
    assert html.count('hx-trigger="blur changed"') == 1


def test_only_the_live_fields_carry_the_attributes():
    form = case_forms.TransitionForm(scope="transition-grant-permit", transition="grant_permit")
    assert set(form.live_fields) & set(form.fields) == {"reason", "legal_ground", "number"}
    for name, field in form.fields.items():
        assert ("hx-post" in field.widget.attrs) == (name in form.live_fields), name


def test_help_text_set_after_the_base_form_still_describes_the_input():
    form = officer_forms.TransitionForm(data={"reason": " "}, scope="transition-reject", transition="reject")
    form.is_valid()
    html = str(form["reason"])
    assert 'aria-describedby="transition-reject-reason_helptext transition-reject-reason_error"' in html
    assert 'hx-post="/officer/validate/transition/reason/?scope=transition-reject"' in html


def test_a_scope_outside_the_id_alphabet_is_refused():
    with pytest.raises(ValueError, match="bad form scope"):
        ScopedLiveForm(scope="Bad Scope")
