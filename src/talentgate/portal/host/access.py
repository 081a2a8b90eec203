"""Who may open the host organisation pages (refusals become HTTP answers through ``portal.refusals``).

Every host page takes the signed-in person's active membership from ``hosts.selectors``; a
``NotFound`` from a selector or service becomes 404 and a ``PermissionRefused`` 403, so the
pages refuse exactly what the services refuse (and another organisation's objects are "not found").
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from talentgate.accounts.roles import HOST_ROLES, Role
from talentgate.common.access import role_of
from talentgate.hosts import selectors
from talentgate.hosts.models import MemberRole, Membership
from talentgate.portal.refusals import refusals_as_http

MemberView = Callable[..., HttpResponse]


def member_required(view: MemberView | None = None, *, admin: bool = False) -> Any:
    """A page for the staff (``admin=True``: the admins) of a host organisation; the view gets the membership.

    A host admin who belongs to no organisation yet is sent to register one; anyone else
    without a membership is refused (403).
    """

    def decorate(inner: MemberView) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(inner)
        @refusals_as_http
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = membership_or_refuse(request)
            if membership is None:
                return redirect("portal:host:register")
            if admin and membership.role != MemberRole.ADMIN:
                raise PermissionDenied("This page is for the organisation's admins.")
            return inner(request, membership, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def membership_or_refuse(request: HttpRequest) -> Membership | None:
    """The signed-in person's membership; ``None`` for a host admin without one; 403 for everyone else."""
    if role_of(request.user) not in HOST_ROLES:
        raise PermissionDenied("These pages are for host organisations.")
    membership = selectors.membership_of(request.user)
    if membership is None and role_of(request.user) != Role.HOST_ADMIN:
        raise PermissionDenied("You do not belong to an organisation; ask its admin for an invitation.")
    return membership
