"""Portal forms shared by every page: signing in with an e-mail address."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm

#: The id of the sign-in page's error box (portal/login.html), named by both fields when sign-in is refused.
SIGN_IN_ERRORS_ID = "sign-in-errors"


class EmailAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, with the e-mail address compared case-insensitively (accounts store it lower-cased).

    A refused sign-in is a form-wide error (it must not say which of the two was wrong); both fields are
    then marked invalid and described by the error box, so a screen reader announces it with either field."""

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip().lower()

    def full_clean(self) -> None:
        super().full_clean()
        if self.non_field_errors():
            for name in ("username", "password"):
                self.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": SIGN_IN_ERRORS_ID})
