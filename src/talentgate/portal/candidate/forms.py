"""Forms of the candidate's pages other than the profile wizard (which builds its own in ``wizard``).

They collect input; the rules (upload checks, consent versions, application conditions) are the
services', whose errors are shown next to the field they name.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from talentgate.canonical import DocumentKind
from talentgate.portal.candidate.labels import enum_label


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=())
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG or JPEG, at most %(megabytes)s MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, max_megabytes: float, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", "—"), *((k.value, enum_label(k)) for k in DocumentKind)]
        self.fields["file"].help_text = str(self.fields["file"].help_text) % {"megabytes": f"{max_megabytes:g}"}


class WithdrawApplicationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
