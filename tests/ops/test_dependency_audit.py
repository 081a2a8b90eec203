"""The dependency audit's verdict: a vulnerability fails, a clean audit passes, an audit that saw nothing warns."""

from __future__ import annotations

from talentgate.ops.dependency_audit import AuditResult, read_report, verdict

REPORT = {
    "dependencies": [
        {"name": "django", "version": "5.2.19", "vulns": []},
        {
            "name": "jinja2",
            "version": "3.1.2",
            "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": [], "description": ""}],
        },
        {"name": "talentgate-private", "version": "1.0", "skip_reason": "Dependency not found on PyPI"},
    ]
}


def test_the_report_is_read_package_by_package():
    result = read_report(REPORT)
    assert result == AuditResult(
        vulnerable=["jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)"], audited=2, skipped=1
    )


def test_a_known_vulnerability_fails_naming_the_package_and_the_fix():
    code, message = verdict(read_report(REPORT), require_service=False)
    assert code == 1
    assert "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in message


def test_a_clean_audit_passes():
    code, message = verdict(AuditResult(audited=120, skipped=1), require_service=True)
    assert code == 0
    assert message == "pip-audit: no known vulnerabilities in 120 packages; 1 packages not on PyPI were skipped"


def test_an_audit_that_reached_nothing_warns_and_fails_only_when_the_service_is_required():
    unreachable = AuditResult(audited=0, skipped=139)
    assert verdict(unreachable, require_service=False) == (
        0,
        "pip-audit: WARNING: the vulnerability service was not reachable (could not audit any of 139 packages); "
        "nothing was audited",
    )
    assert verdict(unreachable, require_service=True)[0] == 2
    assert verdict(None, require_service=True)[0] == 2
    assert "did not finish in time" in verdict(None, require_service=False)[1]
