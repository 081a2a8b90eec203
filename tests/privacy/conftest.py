"""Fixtures for the privacy tests: the cases tests' fixtures (a case opened the real way and driven through
the services) reused as they are, so personal data spreads over every app the way it does in use."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "_privacy_cases_fixtures", Path(__file__).parents[1] / "cases" / "conftest.py"
)
assert _spec is not None
assert _spec.loader is not None
_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cases)

# Re-exporting the fixture functions registers them for this directory.
globals().update({name: value for name, value in vars(_cases).items() if not name.startswith("_")})
