"""``talentgate demo export | load | serve``: valid JSONL without a database, idempotent loads, a served demo."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from talentgate.accounts.models import User
from talentgate.candidates.models import Profile
from talentgate.canonical import CandidateProfile
from talentgate.cli import app
from talentgate.demo.catalogue import DEMO_LOGINS

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


# No django_db marker: pytest-django refuses any query, so these prove export never touches a database.
def test_export_to_standard_output_writes_n_valid_profiles_without_a_database():
    result = run("demo", "export", "--candidates", "25", "--seed", "3", "--as-of", "2026-05-01", "-")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 25
    profiles = [CandidateProfile.model_validate_json(line) for line in lines]
    assert [p.id for p in profiles][:2] == ["demo-0000000", "demo-0000001"]


def test_export_is_the_same_for_the_same_seed_and_date(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for path in (first, second):
        result = run("demo", "export", "-n", "10", "--seed", "8", "--as-of", "2026-05-01", str(path))
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    assert all(json.loads(line)["format_version"] == 1 for line in first.read_text().splitlines())


def test_export_refuses_a_count_out_of_range_naming_the_option():
    result = run("demo", "export", "--candidates", "0", "-")
    assert result.exit_code == 2
    assert "--candidates" in result.output
    assert "between 1 and 1,000,000" in result.output


def test_export_refuses_a_future_date():
    result = run("demo", "export", "-n", "1", "--as-of", "2999-01-01", "-")
    assert result.exit_code == 2
    assert "--as-of" in result.output


@pytest.mark.django_db
def test_load_command_loads_then_adds_nothing_the_second_time():
    result = run("demo", "load", "--candidates", "100", "--seed", "2")
    assert result.exit_code == 0, result.output
    assert "100 candidates added (100 in all)" in result.output
    assert Profile.objects.count() == 100
    assert User.objects.filter(email__in=[d.email for d in DEMO_LOGINS]).count() == len(DEMO_LOGINS)
    again = run("demo", "load", "--candidates", "100", "--seed", "2")
    assert again.exit_code == 0, again.output
    assert "0 candidates added (100 in all)" in again.output
    assert Profile.objects.count() == 100


@pytest.mark.django_db
def test_load_command_refuses_another_seed():
    assert run("demo", "load", "-n", "100", "--seed", "2").exit_code == 0
    result = run("demo", "load", "-n", "100", "--seed", "3")
    assert result.exit_code == 1
    assert "seed 2" in result.output
    assert "--reset" in result.output
    assert Profile.objects.count() == 100


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


def _serve(tmp_path: Path, port: int) -> tuple[subprocess.Popen[str], list[str]]:
    env = {
        **os.environ,
        "TALENTGATE_HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "talentgate.settings.base",
        "DEBUG": "true",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from talentgate.cli import main; main()",
            "demo",
            "serve",
            "--port",
            str(port),
            "-n",
            "100",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line)
        if "serving" in line:
            return process, lines
    raise AssertionError("demo serve stopped before serving:\n" + "".join(lines))


@pytest.mark.slow
def test_serve_loads_once_serves_with_a_worker_and_stops_both(tmp_path):
    port = _free_port()
    process, lines = _serve(tmp_path, port)
    try:
        output = "".join(lines)
        assert "100 candidates added" in output
        for login in DEMO_LOGINS:
            assert login.email in output
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=10) as response:
            assert response.status == 200
        children = _children(process.pid)
        assert len(children) == 3  # the web server, the task worker and the scheduler
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert not any(_alive(pid) for pid in children)

    # The second start must not reload: its speed is a benchmark's business, not this test's.
    second, lines = _serve(tmp_path, port)
    try:
        output = "".join(lines)
        assert "already loaded (100 candidates" in output
        assert "candidates added" not in output
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(timeout=30)
