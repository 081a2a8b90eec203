"""The matrix's parts: actors, endpoints, exemptions, the database fingerprint and the verdicts."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from axes.models import AccessLog
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection, models
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

#: Everyone the matrix sends requests as. "A"-side actors own the world's objects.
OWNER_SIDE = ("candidate", "host_admin", "host_staff")
OTHER_SIDE = ("other_candidate", "other_host_admin", "other_host_staff")
PROGRAMME_SIDE = ("officer", "supervisor", "reviewer", "authority", "analyst", "administrator")
#: An officer with is_staff (may open the admin site) but no model permission: the admin must refuse them.
STAFF_WITHOUT_PERMISSIONS = "staff_without_permissions"
ANONYMOUS = "anonymous"
SIGNED_IN = frozenset((*OWNER_SIDE, *OTHER_SIDE, *PROGRAMME_SIDE, STAFF_WITHOUT_PERMISSIONS))
ACTORS = (ANONYMOUS, *sorted(SIGNED_IN))

#: Convenience sets for ``Endpoint.allowed``.
NOBODY: frozenset[str] = frozenset()
ALL_SIGNED_IN = SIGNED_IN
#: Roles that see every programme record. The clerk holds the officer role (only their admin rights differ).
PROGRAMME_STAFF = frozenset({"officer", "supervisor", "administrator", STAFF_WITHOUT_PERMISSIONS})

LOGIN_PATHS = ("/login/", "/admin/login/")

# Tables whose rows the test client itself writes when it signs an actor in (the session, and django-axes'
# record of each successful sign-in).
FINGERPRINT_EXCLUDED: tuple[type[models.Model], ...] = (Session, AccessLog)


@dataclass
class World:
    """The people and objects every endpoint is tried against. ``users[key]`` is None for anonymous."""

    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    session_cookies: dict[str, SimpleCookie] = field(default_factory=dict)

    def user(self, actor: str) -> Any:
        return None if actor == ANONYMOUS else self.users[actor]

    def sign_in_everyone(self) -> None:
        """One session per actor, made once: each request then only presents its cookie."""
        for actor, user in self.users.items():
            client = Client()
            client.force_login(user)
            self.session_cookies[actor] = client.cookies

    def client_for(self, actor: str) -> Client:
        """A test client signed in as ``actor`` (or anonymous)."""
        client = Client()
        if actor != ANONYMOUS:
            for name, morsel in self.session_cookies[actor].items():
                client.cookies[name] = morsel.value
        return client

    def obj(self, name: str) -> Any:
        """A named object of the world; a clear failure if its domain's ``build`` did not make it."""
        try:
            return self.objects[name]
        except KeyError:
            raise KeyError(f"world has no object {name!r}; built: {sorted(self.objects)}") from None


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern (and method) in the matrix.

    ``url_name`` is the resolver name it covers (``"api:accounts_get_me"``, ``"portal:home"``);
    ``kwargs(world)`` gives the URL's arguments, pointing at an object the "A" side owns;
    ``allowed`` are the actors that must get through, every other actor must be refused.
    ``body(world)`` is sent as JSON to the API and as form data to pages.
    """

    url_name: str
    allowed: frozenset[str]
    method: str = "GET"
    kwargs: Callable[[World], Mapping[str, Any]] | None = None
    body: Callable[[World], Mapping[str, Any]] | None = None
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or f"{self.method} {self.url_name}"

    def path(self, world: World) -> str:
        return reverse(self.url_name, kwargs=dict(self.kwargs(world)) if self.kwargs else None)

    @property
    def is_api(self) -> bool:
        return self.url_name.startswith("api:")


@dataclass(frozen=True)
class Exempt:
    """URL patterns left out of the matrix on purpose: ``pattern`` (a regex) matches the pattern's key."""

    pattern: str
    reason: str

    def matches(self, key: str) -> bool:
        return re.search(self.pattern, key) is not None


def send(client: Any, endpoint: Endpoint, world: World) -> HttpResponse:
    """Send ``endpoint``'s request with ``client`` (already signed in as the actor, or not)."""
    path = endpoint.path(world)
    body = dict(endpoint.body(world)) if endpoint.body else None
    method = endpoint.method.lower()
    if endpoint.is_api:
        if body is None:
            return getattr(client, method)(path)
        return getattr(client, method)(path, json.dumps(body), content_type="application/json")
    return getattr(client, method)(path, body or {})


def refusal_problem(endpoint: Endpoint, response: HttpResponse) -> str | None:
    """Why ``response`` is not a proper refusal, or None if it is one."""
    status = response.status_code
    if endpoint.is_api:
        if status not in (401, 403, 404):
            return f"expected 401/403/404, got {status}"
        body = json.loads(response.content)
        if not (isinstance(body, dict) and list(body) == ["errors"] and body["errors"]):
            return f"refusal is not the error envelope: {body!r}"
        return None
    if status in (403, 404):
        return None
    if status == 302 and response["Location"].startswith(LOGIN_PATHS):
        return None
    return f"expected 403/404 or a redirect to a sign-in page, got {status} {response.get('Location', '')}"


def admission_problem(endpoint: Endpoint, response: HttpResponse) -> str | None:
    """Why ``response`` does not let an allowed actor through, or None if it does."""
    status = response.status_code
    if status >= 400:
        return f"allowed actor refused with {status}"
    if status in (301, 302) and response["Location"].startswith(LOGIN_PATHS):
        return "allowed actor sent to a sign-in page"
    return None


def _fingerprinted_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or issubclass(model, FINGERPRINT_EXCLUDED):
            continue
        yield model


def database_fingerprint() -> dict[str, str]:
    """``{model label: hash of every row}`` for every concrete model, in primary-key order.

    Reads the stored column values with plain SQL (no ORM conversion), so an encrypted
    field is compared as its ciphertext and the fingerprint stays cheap.
    """
    quote = connection.ops.quote_name
    result = {}
    with connection.cursor() as cursor:
        for model in _fingerprinted_models():
            opts = model._meta
            columns = ", ".join(quote(f.column) for f in opts.concrete_fields)
            cursor.execute(f"SELECT {columns} FROM {quote(opts.db_table)} ORDER BY {quote(opts.pk.column)}")
            result[opts.label] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return result


def changed_models(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


# --- the URL map -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project: ``key`` is its namespaced name, or its route when unnamed."""

    key: str
    route: str


def project_routes() -> list[Route]:
    """Every URL pattern of the project, walking nested includes and namespaces."""
    found: list[Route] = []

    def walk(patterns: Any, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = (
                    f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
                )
                walk(entry.url_patterns, prefix + str(entry.pattern), inner or "")
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                key = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or route
                found.append(Route(key=key, route=route))

    walk(get_resolver().url_patterns, "", "")
    return found
