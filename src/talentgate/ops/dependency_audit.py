"""``make test``'s dependency audit: pip-audit over the installed environment, bounded in time.

Runs ``pip-audit -s pypi -f json`` (PyPI's vulnerability data) with a socket timeout and an overall
deadline, then decides:

* a known vulnerability in any installed package: exit 1, naming package, version, advisory and the
  fixed versions (upgrade the pin in pyproject.toml);
* the service answered for the packages: exit 0;
* the service could not be reached for any package (a network limited to a package mirror, an
  outage) or the run timed out: a warning saying so and exit 0, unless ``--require-service`` (or
  DEPENDENCY_AUDIT_REQUIRED=1) asks for exit 2 — an audit that saw nothing must not read as clean.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess  # nosec B404  # runs pip-audit with an argument list
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class AuditResult:
    """What one pip-audit report says: vulnerable packages, packages audited, and packages it could not audit."""

    vulnerable: list[str] = field(default_factory=list)
    audited: int = 0
    skipped: int = 0


def read_report(report: dict[str, Any]) -> AuditResult:
    """Summarise pip-audit's JSON report (``{"dependencies": [{"name", "version", "vulns"|"skip_reason"}]}``)."""
    result = AuditResult()
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            result.skipped += 1
            continue
        result.audited += 1
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            result.vulnerable.append(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    return result


def run_pip_audit(timeout_seconds: float) -> dict[str, Any] | None:
    """pip-audit's JSON report for this interpreter's environment, or None if it did not finish in time."""
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "-s", "pypi", "-f", "json", "--progress-spinner", "off", "--timeout", "15"]
    command += ["--skip-editable"]  # talentgate itself is installed editable and is not on PyPI
    try:
        completed = subprocess.run(  # nosec B603  # fixed argument list, no shell
            command, capture_output=True, text=True, timeout=timeout_seconds, check=False
        )
    except subprocess.TimeoutExpired:
        return None
    try:
        return dict(json.loads(completed.stdout or "{}"))
    except json.JSONDecodeError:
        sys.stderr.write(completed.stderr)
        return None


def verdict(result: AuditResult | None, *, require_service: bool) -> tuple[int, str]:
    """The exit code and the line to print for a summarised report (None: no report in time)."""
    if result is not None and result.vulnerable:
        return 1, "pip-audit: known vulnerabilities:\n  " + "\n  ".join(result.vulnerable)
    if result is None or result.audited == 0:
        what = "did not finish in time" if result is None else f"could not audit any of {result.skipped} packages"
        message = f"pip-audit: WARNING: the vulnerability service was not reachable ({what}); nothing was audited"
        return (2 if require_service else 0), message
    note = f"; {result.skipped} packages not on PyPI were skipped" if result.skipped else ""
    return 0, f"pip-audit: no known vulnerabilities in {result.audited} packages{note}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=300.0, help="Overall deadline in seconds (default 300).")
    parser.add_argument(
        "--require-service",
        action="store_true",
        default=os.environ.get("DEPENDENCY_AUDIT_REQUIRED") == "1",
        help="Fail (exit 2) when the vulnerability service cannot be reached.",
    )
    args = parser.parse_args(argv)
    report = run_pip_audit(args.timeout)
    code, message = verdict(read_report(report) if report is not None else None, require_service=args.require_service)
    print(message)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
