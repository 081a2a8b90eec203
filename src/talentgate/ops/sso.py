"""Optional single sign-on for agency and ministry staff with OpenID Connect (mozilla-django-oidc).

Off unless ``OIDC_ENABLED`` (the production settings read it and the provider's endpoints
from the environment; docs/deploy.md). The identity provider decides who is staff: the
claim named by ``OIDC_ROLE_CLAIM`` (e.g. ``groups``) is mapped to a programme role with
``OIDC_ROLE_MAP``; a person with no mapped group is refused. Candidates and host
organisations never sign in this way, and an existing candidate or host account is never
turned into a staff account by a provider's say-so. A first sign-in creates the account
through the accounts service (audited, no password); later sign-ins keep its role in step
with the provider, each change audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from talentgate.accounts.roles import Role
from talentgate.common import audit
from talentgate.ops import logs

_log = logs.get_logger("talentgate.sso")

#: The roles single sign-on may grant, most privileged first (a person in several mapped groups gets the first).
STAFF_ROLES = (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.OFFICER, Role.AUTHORITY, Role.REVIEWER, Role.ANALYST)


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


def role_from_claims(claims: dict[str, Any]) -> Role | None:
    """The programme role the provider's groups map to, or None when no group maps to a staff role."""
    raw = claims.get(getattr(settings, "OIDC_ROLE_CLAIM", "groups"), [])
    groups = {raw} if isinstance(raw, str) else {str(g) for g in raw or []}
    mapping: dict[str, str] = getattr(settings, "OIDC_ROLE_MAP", {})
    granted = {mapping[g] for g in groups if g in mapping}
    return next((role for role in STAFF_ROLES if role.value in granted), None)


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """Signs staff in from the provider's claims: verified e-mail, a mapped group, never a non-staff account."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("email") or claims.get("email_verified") is False:
            _log.warning("sso.refused", reason="no verified e-mail", subject=claims.get("sub"))
            return False
        if role_from_claims(claims) is None:
            _log.warning("sso.refused", reason="no staff group", subject=claims.get("sub"))
            return False
        return True

    def create_user(self, claims: dict[str, Any]) -> Any:
        from talentgate.accounts.services import create_user

        return create_user(
            None,
            email=claims["email"],
            password=None,
            role=role_from_claims(claims) or Role.ANALYST,
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
        )

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        role = role_from_claims(claims)
        if user.role not in {r.value for r in STAFF_ROLES}:
            # A candidate's or host's own account stays theirs, whatever a provider claims.
            raise SuspiciousOperation("single sign-on is for staff accounts only")
        if role is not None and user.role != role.value:
            with transaction.atomic():
                user.role = role.value
                user.save(update_fields=["role"])
                audit.record(
                    None,
                    "user.role_synced_from_sso",
                    user,
                    chain=audit.chain_for_person(user.pk),
                    fields=["role"],
                )
        return user


class _OnlyWhenEnabled:
    """404 for every request while single sign-on is off (the provider's settings are then not read at all)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if sso_enabled():
            super().__init__(*args, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso_enabled():
            raise Http404("single sign-on is not enabled")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class StaffSignInView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    """Sends the visitor to the provider's sign-in page (with state and nonce kept in the session)."""


class StaffCallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    """Receives the provider's answer, checks state and nonce, and signs the staff member in."""


urlpatterns = [
    path("authenticate/", StaffSignInView.as_view(), name="oidc_authentication_init"),
    path("callback/", StaffCallbackView.as_view(), name="oidc_authentication_callback"),
]
