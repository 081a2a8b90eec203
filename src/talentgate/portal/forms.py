"""Portal forms shared by every page: signing in with an e-mail address."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm


class EmailAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, with the e-mail address compared case-insensitively (accounts store it lower-cased)."""

    def clean_username(self) -> str:
        return (self.cleaned_data.get("username") or "").strip().lower()
