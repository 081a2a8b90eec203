"""The runnable examples in the rules engine's docstrings stay true, and its public surface is explicit."""

from __future__ import annotations

import doctest
import importlib

import pytest

import talentgate.engines.rules as rules

MODULES = ["assess", "derive", "registry", "results", "schema", "single", "vectorized"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"talentgate.engines.rules.{name}")
    failures, attempted = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert attempted > 0
    assert failures == 0


def test_public_surface_is_listed():
    for name in rules.__all__:
        assert hasattr(rules, name), name
