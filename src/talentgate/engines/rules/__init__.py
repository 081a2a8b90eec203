"""Rules as code: versioned assessment policies (YAML), validated, evaluated over columns and explained.

The engine is framework-free (NumPy, pydantic, PyYAML; no Django). Its pieces:

- :mod:`.schema` / :mod:`.checks` / :mod:`.loader`: what a policy may say, and safe loading with
  errors that name the file, line and path;
- :mod:`.registry`: the shipped policy versions and the one in force on a date;
- :mod:`.vectorized`: a pool as NumPy columns (:class:`Columns`) -> :class:`Assessment`;
- :mod:`.single`: one person, plain Python, with an :class:`Explanation` (the reference path);
- :mod:`.derive`: derived inputs (CLB from test scores, CRS education level, years of work);
- :mod:`.cases`: the hand-computed YAML test cases of each shipped policy.
"""

from talentgate.engines.rules.assess import evaluate, explain, resolve_policy
from talentgate.engines.rules.loader import PolicyInvalid, PolicyProblem, load_policy
from talentgate.engines.rules.registry import PolicyNotFound, get_policy, policy_ids, policy_versions
from talentgate.engines.rules.results import MISSING, NO_MATCH, NOT_APPLICABLE, Explanation, FactorLine, GateLine
from talentgate.engines.rules.schema import Policy
from talentgate.engines.rules.single import InputError, assess_one
from talentgate.engines.rules.vectorized import Assessment, Columns, evaluate_columns

__all__ = [
    "MISSING",
    "NOT_APPLICABLE",
    "NO_MATCH",
    "Assessment",
    "Columns",
    "Explanation",
    "FactorLine",
    "GateLine",
    "InputError",
    "Policy",
    "PolicyInvalid",
    "PolicyNotFound",
    "PolicyProblem",
    "assess_one",
    "evaluate",
    "evaluate_columns",
    "explain",
    "get_policy",
    "load_policy",
    "policy_ids",
    "policy_versions",
    "resolve_policy",
]
