"""Matrix entries of analytics: the dashboard page, its exports, ``/api/analytics/dashboard`` and its export.

Only analysts, supervisors and administrators see the figures; everyone else (officers included) is
refused, and nothing changes. No world objects: the figures are counts over whatever the world holds.
"""

from __future__ import annotations

from permission_matrix.harness import Endpoint, World

ANALYSTS = frozenset({"analyst", "supervisor", "administrator"})


def build(world: World) -> None:
    """Nothing to add: analytics only reads."""


API = [
    Endpoint("api:analytics_get_dashboard", ANALYSTS),
    Endpoint("api:analytics_export_dashboard", ANALYSTS),
]

PAGES = [
    Endpoint("portal:analytics:dashboard", ANALYSTS),
    Endpoint("portal:analytics:export", ANALYSTS, kwargs=lambda w: {"fmt": "csv"}),
    Endpoint("portal:analytics:table_csv", ANALYSTS, kwargs=lambda w: {"key": "outcomes"}),
    Endpoint("portal:analytics:case_rows", ANALYSTS),
]

ENDPOINTS = API + PAGES
