"""Safe loading of policy files, keeping the line of every node so that errors can name it.

Only YAML's safe subset is read (no tags that build objects, nothing executed). A policy
that breaks the schema or a cross-reference rule is refused with :class:`PolicyInvalid`,
whose message names the file, the line, the path inside the policy and the rule::

    canada-crs/policy-2025-03-25.yaml:57: factors[3].bands[2].points: points are never negative
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path as FilePath
from typing import Any

import yaml
from pydantic import ValidationError

from talentgate.engines.rules.checks import check_policy
from talentgate.engines.rules.schema import TAG, Policy

__all__ = ["MarkedLoader", "PolicyInvalid", "PolicyProblem", "format_path", "load_policy", "parse_policy", "read_yaml"]


@dataclass(frozen=True)
class PolicyProblem:
    """One broken rule: where (file, line, path inside the policy) and which rule."""

    file: str
    line: int
    path: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path or '(top)'}: {self.rule}"


class PolicyInvalid(ValueError):
    """A policy (or policy test file) that may not be loaded; ``problems`` lists every broken rule."""

    def __init__(self, problems: list[PolicyProblem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"policy refused ({len(problems)} problem{'s' if len(problems) != 1 else ''}):\n{lines}")


def format_path(parts: Iterable[str | int]) -> str:
    """``("factors", 3, "table", 2, "points")`` -> ``factors[3].table[2].points``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text


_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap")


class MarkedLoader(yaml.SafeLoader):
    """A safe YAML loader that also records the line of every node by its path in the document."""

    def construct_marked(self) -> tuple[Any, dict[tuple[str | int, ...], int]]:
        """Return the document's data and a ``{path: line}`` map (lines counted from 1)."""
        node = self.get_single_node()
        lines: dict[tuple[str | int, ...], int] = {}
        if node is None:
            return None, lines
        return self._build(node, (), lines), lines

    def _build(self, node: yaml.Node, path: tuple[str | int, ...], lines: dict) -> Any:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
            # SafeLoader would refuse these too; building the node ourselves must not skip that.
            raise yaml.constructor.ConstructorError(
                None, None, f"tag {node.tag} is not allowed in a policy", node.start_mark
            )
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                # Keys are read as the words written: YAML 1.1 would turn `on:` or `no:` into booleans.
                if not isinstance(key_node, yaml.ScalarNode):
                    raise yaml.constructor.ConstructorError(
                        None, None, "mapping keys are plain words", key_node.start_mark
                    )
                key = key_node.value
                if key in result:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key '{key}' (a later one would silently win)", key_node.start_mark
                    )
                result[key] = self._build(value_node, (*path, key), lines)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self._build(child, (*path, index), lines) for index, child in enumerate(node.value)]
        return self.construct_object(node, deep=True)


def read_yaml(text: str, file: str) -> tuple[Any, dict[tuple[str | int, ...], int]]:
    """Parse YAML safely; a syntax error or an unsafe tag becomes :class:`PolicyInvalid` naming the line."""
    try:
        # The reader checks the characters when it is made: a control character is an error here too.
        loader = MarkedLoader(text)
    except yaml.YAMLError as error:
        raise PolicyInvalid([PolicyProblem(file, 0, "", f"not valid YAML: {error}")]) from None
    try:
        return loader.construct_marked()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise PolicyInvalid([PolicyProblem(file, line, "", f"not safe, valid YAML: {error.problem}")]) from None
    except yaml.YAMLError as error:
        raise PolicyInvalid([PolicyProblem(file, 0, "", f"not valid YAML: {error}")]) from None
    finally:
        loader.dispose()


def line_of(lines: dict[tuple[str | int, ...], int], path: tuple[str | int, ...]) -> int:
    """The line of ``path``, or of its nearest ancestor present in the file (for a missing field)."""
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return lines[path[:cut]]
    return 1


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    # Union tags ("§banded") are pydantic's bookkeeping, not places in the file; "not_" is the
    # attribute behind the "not" key.
    cleaned: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and part.startswith(TAG):
            continue
        cleaned.append("not" if part == "not_" else part)
    return tuple(cleaned)


def _navigable(loc: tuple[str | int, ...], data: Any, missing_field: bool) -> tuple[str | int, ...]:
    """Keep the parts of an error location that lead through the document (drops union member names)."""
    kept: list[str | int] = []
    node = data
    for position, part in enumerate(loc):
        inside_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if inside_list or (isinstance(node, dict) and part in node):
            node = node[part]
        elif missing_field and position == len(loc) - 1:
            pass
        else:
            continue
        kept.append(part)
    return tuple(kept)


def validation_problems(error: ValidationError, data: Any, lines: dict, file: str) -> list[PolicyProblem]:
    """Pydantic errors as located problems; the alternatives of one union become one problem."""
    by_path: dict[tuple[str | int, ...], list[str]] = {}
    for item in error.errors():
        path = _navigable(_clean_loc(item["loc"]), data, item["type"] == "missing")
        messages = by_path.setdefault(path, [])
        if item["msg"] not in messages:
            messages.append(item["msg"])
    return [
        PolicyProblem(file, line_of(lines, path), format_path(path), "; or ".join(messages))
        for path, messages in by_path.items()
    ]


def parse_policy(data: Any, lines: dict[tuple[str | int, ...], int], file: str) -> Policy:
    """Validate already-read policy data; refuse it with every problem located."""
    if not isinstance(data, dict):
        raise PolicyInvalid([PolicyProblem(file, 1, "", "a policy file holds one mapping")])
    try:
        policy = Policy.model_validate(data)
    except ValidationError as error:
        raise PolicyInvalid(validation_problems(error, data, lines, file)) from None
    broken = check_policy(policy)
    if broken:
        raise PolicyInvalid([PolicyProblem(file, line_of(lines, p), format_path(p), rule) for p, rule in broken])
    return policy


def load_policy(path: str | FilePath, text: str | None = None, name: str | None = None) -> Policy:
    """Load and validate one policy file.

    ``name`` is how the file is named in errors (defaults to the path as given).
    """
    file = name or str(path)
    if text is None:
        text = FilePath(path).read_text(encoding="utf-8")
    data, lines = read_yaml(text, file)
    return parse_policy(data, lines, file)
