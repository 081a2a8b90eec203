"""The live OpenAPI document under fuzzing: schemathesis runs all its checks against a seeded server as each role.

A real server (pytest-django's ``live_server`` on 127.0.0.1) serves a throwaway test database seeded by
the demo loader (40 candidates: every kind of record exists). Each API operation is fuzzed with the bearer
token of the most specific role the permission matrix (``tests/permissions/permission_matrix``) lets
through, so the authorised paths are exercised and not only the refusals; operations nobody calls with
a token (the authority's HMAC-signed callback, sign-up) are fuzzed without one. schemathesis (its command
line, in a subprocess) loads ``/api/openapi.json`` from the server and runs every check (``--checks all``):
no 5xx, only declared status codes, content types and headers, bodies matching the declared schema (so
every declared error is the envelope), schema-valid input accepted, invalid input refused, the auth and
method checks. State-changing operations are fuzzed too: the database is thrown away afterwards.

The run is bounded: ``MAX_EXAMPLES`` per operation, a fixed seed, one worker, and the whole test must end
within ``BUDGET_SECONDS`` (the subprocess is stopped there and the test fails). It is marked slow, so
``make test FAST=1`` skips it. ``FUZZ_DEEP=1`` adds the coverage phase. Reports go to
``test-artifacts/fuzz/<database>/`` (JUnit XML, the NDJSON event stream, schemathesis' output and the
timing); a failing run shows schemathesis' summary with reproducing ``curl`` commands and the server's
logged tracebacks.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from talentgate.accounts.models import User
from talentgate.accounts.services import create_api_token
from talentgate.demo.catalogue import DEMO_LOGINS
from talentgate.demo.loader import load_demo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "permissions"))

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "fuzz"
#: A small demo: every kind of record exists, the load takes seconds.
DEMO_CANDIDATES = 40
DEMO_SEED = 1
DEMO_AS_OF = date(2026, 11, 2)
#: Fixed so that a failure reproduces; change it to explore other inputs.
FUZZ_SEED = 20261124
#: FUZZ_DEEP=1 adds schemathesis' coverage phase (every boundary and every broken field of every operation,
#: deterministic, about 9,000 requests: some 20 minutes here) and more examples; the default run fits the budget.
DEEP = os.environ.get("FUZZ_DEEP", "") not in ("", "0")
PHASES = "examples,coverage,fuzzing,stateful" if DEEP else "examples,fuzzing,stateful"
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25" if DEEP else "6"))
#: The whole run (seeding, every operation, every check) must end within this; the subprocess is cut here.
BUDGET_SECONDS = int(os.environ.get("FUZZ_BUDGET_SECONDS", "3600" if DEEP else "480"))
#: Roles fuzzed, most specific first: an operation goes to the first of them the matrix lets through.
ROLE_PREFERENCE = (
    "candidate",
    "host_admin",
    "host_staff",
    "authority",
    "reviewer",
    "analyst",
    "officer",
    "supervisor",
    "administrator",
)
ANONYMOUS = "anonymous"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def _allowed_roles_by_operation() -> dict[tuple[str, str], frozenset[str]]:
    """``{(operation id, METHOD): actors let through}`` from the permission matrix's API entries."""
    from permission_matrix import entries

    allowed: dict[tuple[str, str], frozenset[str]] = {}
    for module in entries.load():
        for endpoint in module.ENDPOINTS:
            if endpoint.is_api:
                key = (endpoint.url_name.removeprefix("api:"), endpoint.method.upper())
                allowed[key] = allowed.get(key, frozenset()) | endpoint.allowed
    return allowed


def _role_for_each_operation(schema: dict) -> dict[str, str]:
    """``{operation id: role}``: the most specific role the matrix admits, else anonymous."""
    allowed = _allowed_roles_by_operation()
    plan: dict[str, str] = {}
    for methods in schema["paths"].values():
        for method, operation in methods.items():
            admitted = allowed.get((operation["operationId"], method.upper()), frozenset())
            plan[operation["operationId"]] = next((r for r in ROLE_PREFERENCE if r in admitted), ANONYMOUS)
    return plan


def _tokens() -> dict[str, str]:
    """A bearer token for each demo login whose role is fuzzed."""
    tokens = {}
    for login in DEMO_LOGINS:
        if login.role in ROLE_PREFERENCE:
            user = User.objects.get(email=login.email)
            tokens[login.role] = create_api_token(user, user=user, name="fuzz").key
    return tokens


#: Operations whose coverage phase alone sends over a thousand requests (every nested field of the whole
#: profile, broken one at a time); the fuzzing phase still sends them generated profiles.
NO_COVERAGE_PHASE = ("candidates_replace_my_profile", "candidates_update_my_profile")
#: Statuses schema-valid input may get: the API refuses with 400 what a JSON Schema cannot say (an unknown
#: id, a date in the past, a blank name, a state that forbids the step). 422 is left out on purpose: it
#: means the validator refused what the published schema allows, which is a bug in one or the other.
POSITIVE_DATA_STATUSES = ("2xx", "3xx", 400, 401, 403, 404, 409, 429)
#: The canonical profile is the one exception: its published schema cannot list what its validator checks
#: against code lists (ISO 3166 countries, ISCED-F fields, CEFR scales) and across fields, and the API's
#: contract answers those rules with 422 naming each field and rule (tests/canonical prove the rules).
PROFILE_DATA_STATUSES = (*POSITIVE_DATA_STATUSES, 422)


def _toml_list(values: Iterable[object]) -> str:
    return "[" + ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values) + "]"


def _config(plan: dict[str, str], tokens: dict[str, str]) -> str:
    """schemathesis.toml: the run's bounds and, per role, its operations and token."""
    lines = [
        f"seed = {FUZZ_SEED}",
        "workers = 1",
        "request-timeout = 30.0",
        "warnings = false",
        "continue-on-failure = true",
        "[generation]",
        f"max-examples = {MAX_EXAMPLES}",
        'database = "none"',
        "[checks.positive_data_acceptance]",
        f"expected-statuses = {_toml_list(POSITIVE_DATA_STATUSES)}",
        "[phases.coverage]",
        # One unsafe and one unusual method per operation check the 405s without six probes each.
        'unexpected-methods = ["PATCH", "TRACE"]',
        "[phases.stateful]",
        "max-steps = 10",
    ]

    def block(operation_ids: Iterable[str], role: str, *extra: str) -> list[str]:
        header = [] if role == ANONYMOUS else [f'headers = {{ Authorization = "Bearer {tokens[role]}" }}']
        return ["[[operations]]", f"include-operation-id = {_toml_list(sorted(operation_ids))}", *header, *extra]

    assert set(NO_COVERAGE_PHASE) <= set(plan), f"rename in NO_COVERAGE_PHASE: {set(NO_COVERAGE_PHASE) - set(plan)}"
    for operation_id in NO_COVERAGE_PHASE:
        lines += block(
            [operation_id],
            plan[operation_id],
            "phases.coverage.enabled = false",
            f"checks.positive_data_acceptance.expected-statuses = {_toml_list(PROFILE_DATA_STATUSES)}",
        )
    for role in (*ROLE_PREFERENCE, ANONYMOUS):
        ids = [op for op, r in plan.items() if r == role and op not in NO_COVERAGE_PHASE]
        if ids and role != ANONYMOUS:
            lines += block(ids, role)
    return "\n".join(lines) + "\n"


def _schemathesis() -> list[str]:
    executable = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert executable, "schemathesis is not installed (pip install -e '.[dev]')"
    return [executable]


def test_the_live_openapi_document_holds_under_fuzzing_as_every_role(live_server, tmp_path, caplog):
    started = time.monotonic()
    load_demo(DEMO_CANDIDATES, seed=DEMO_SEED, as_of=DEMO_AS_OF)
    tokens = _tokens()
    # Fetched here with a patient timeout (building the document takes over 10 s on a loaded machine,
    # schemathesis' own loader gives up at 10 s) and handed over as a file, with the server as base URL.
    assert urlsplit(live_server.url).hostname in LOOPBACK, live_server.url
    with urllib.request.urlopen(f"{live_server.url}/api/openapi.json", timeout=300) as answer:
        schema = json.load(answer)
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(schema))
    plan = _role_for_each_operation(schema)
    config = tmp_path / "schemathesis.toml"
    config.write_text(_config(plan, tokens))
    artifacts = ARTIFACTS / connection.vendor  # sqlite or postgresql: CI runs both
    artifacts.mkdir(parents=True, exist_ok=True)
    command = [
        *_schemathesis(),
        "--no-color",
        "--config-file",
        str(config),
        "run",
        str(document),
        "--url",
        live_server.url,
        "--checks",
        "all",
        "--phases",
        PHASES,
        "--report",
        "junit,ndjson",
        "--report-dir",
        str(artifacts),
    ]
    seeded = time.monotonic() - started
    output = artifacts / "schemathesis.txt"
    with (
        output.open("w") as sink,
        subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=tmp_path) as run,
    ):
        try:
            returncode = run.wait(timeout=BUDGET_SECONDS - (time.monotonic() - started))
        except subprocess.TimeoutExpired:
            run.kill()
            run.wait()
            pytest.fail(f"the fuzz run took over {BUDGET_SECONDS} s; its output so far:\n{output.read_text()[-5000:]}")
    fuzzed = time.monotonic() - started - seeded
    (artifacts / "timing.txt").write_text(f"seeding {seeded:.0f} s, fuzzing {fuzzed:.0f} s\n")
    tracebacks = [
        f"{r.getMessage()}\n{logging.Formatter().formatException(r.exc_info)}" for r in caplog.records if r.exc_info
    ]
    assert returncode == 0, output.read_text()[-20000:] + "\n".join(tracebacks)
