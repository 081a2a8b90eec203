"""The one place where domain routers join the API.

To add a domain, write ``talentgate/api/<domain>.py`` with ``router = Router(tags=["<domain>"])``
(operations calling only that domain's services and selectors, each declaring its errors with
``error_responses``), then add one line below. The prefix is the URL segment under ``/api/``
(``("hosts", ...)`` with ``@router.get("/offers/{offer_id}")`` serves ``/api/hosts/offers/7``);
operation ids and URL names become ``<module>_<function name>`` (e.g. ``accounts_get_me``), so
keep view function names unique within a module and never rename a published one.
"""

from __future__ import annotations

#: (URL prefix under /api/, dotted path of the module holding ``router``), in OpenAPI order.
ROUTERS: list[tuple[str, str]] = [
    ("", "talentgate.api.accounts"),
    ("candidates", "talentgate.api.candidates"),
    ("hosts", "talentgate.api.hosts"),
    ("programmes", "talentgate.api.programmes"),
    ("assessment", "talentgate.api.assessment"),
    ("matching", "talentgate.api.matching"),
    ("cooperation", "talentgate.api.cooperation"),
    ("cases", "talentgate.api.cases"),
    ("notifications", "talentgate.api.notifications"),
    ("authority", "talentgate.api.authority"),
    ("analytics", "talentgate.api.analytics"),
    ("privacy", "talentgate.api.privacy"),
    ("identity", "talentgate.api.identity"),
    ("competitions", "talentgate.api.competitions"),
]
