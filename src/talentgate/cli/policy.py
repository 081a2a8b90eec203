"""``talentgate policy list | show ID | test [ID] | schema``: the shipped assessment policies from the shell.

Framework-free: reads only the rules engine (no Django, no database).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import typer

from talentgate.engines.rules import PolicyInvalid, PolicyNotFound, get_policy, policy_ids, policy_versions
from talentgate.engines.rules.cases import run_shipped_cases
from talentgate.engines.rules.registry import shipped_policies
from talentgate.engines.rules.schema import Policy

app = typer.Typer(help="List, show, test and describe the shipped assessment policies.", no_args_is_help=True)


def _text(value: Any, lang: str) -> str:
    return getattr(value, lang) if value is not None else ""


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=2)


@app.command("list")
def list_policies() -> None:
    """Every shipped policy version with its dates, source date and number of factors."""
    try:
        shipped = shipped_policies()
    except PolicyInvalid as error:
        raise _fail(str(error)) from None
    typer.echo(f"{'policy':<26} {'version':<12} {'in force':<25} {'source as of':<12} factors  title")
    for item in sorted(shipped, key=lambda s: (s.policy.id, s.policy.effective_from)):
        policy = item.policy
        period = f"{policy.effective_from} .. {policy.effective_to or ''}"
        typer.echo(
            f"{policy.id:<26} {policy.version:<12} {period:<25} {policy.source.as_of!s:<12} "
            f"{len(policy.factors):>7}  {policy.title.en}"
        )


def _resolve(policy_id: str, version: str | None, on: str | None) -> Policy:
    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise _fail(f"--on: '{on}' is not a date (YYYY-MM-DD)") from None
    try:
        return get_policy(policy_id, on=day, version=version)
    except PolicyNotFound as error:
        raise _fail(str(error)) from None


@app.command()
def show(
    policy_id: str = typer.Argument(..., help="Policy id, e.g. canada-crs."),
    version: str | None = typer.Option(None, "--version", help="A version (default: the one in force)."),
    on: str | None = typer.Option(None, "--on", help="Date (YYYY-MM-DD) whose version to show."),
    lang: str = typer.Option("en", "--lang", help="en or ru."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole policy as JSON."),
) -> None:
    """A policy's source, open questions, inputs, groups, factors, gates, thresholds and categories."""
    if lang not in ("en", "ru"):
        raise _fail("--lang: use en or ru")
    policy = _resolve(policy_id, version, on)
    if as_json:
        typer.echo(json.dumps(policy.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=2))
        return
    out = typer.echo
    out(f"{policy.id} {policy.version}: {_text(policy.title, lang)}")
    out(f"in force: {policy.effective_from} .. {policy.effective_to or '(open)'}")
    if policy.summary:
        out(_text(policy.summary, lang))
    source = policy.source
    out(f"source: {source.title} — {source.publisher} (as of {source.as_of})")
    if source.url:
        out(f"  {source.url}")
    if source.illustrative:
        out("  ILLUSTRATIVE: designed by the programme, not transcribed from law")
    for question in source.open_questions:
        out(f"  open question: {question}")
    out(f"inputs ({len(policy.inputs)}):")
    for spec in policy.inputs:
        default = "" if spec.default is None else f" default={spec.default}"
        out(f"  {spec.name} [{spec.type}, {spec.unit}]{default}: {_text(spec.label, lang)}")
    if policy.variants:
        out("variants: " + ", ".join(v.id for v in policy.variants))
    for gate in policy.gates:
        out(f"gate {gate.id}: {_text(gate.label, lang)}")
    for group in policy.groups:
        cap = f" cap {group.cap}" if group.cap is not None else ""
        parent = f" (in {group.parent})" if group.parent else ""
        out(f"group {group.id}{parent}{cap}: {_text(group.label, lang)}")
        for factor in policy.factors:
            if factor.group == group.id:
                cap = f" cap {factor.cap}" if factor.cap is not None else ""
                out(f"  factor {factor.id} [{factor.kind}]{cap}: {_text(factor.label, lang)}")
                if factor.rationale:
                    out(f"    rationale: {factor.rationale.strip()}")
    for threshold in policy.thresholds:
        out(f"threshold {threshold.id} >= {threshold.min_total:g}: {_text(threshold.label, lang)}")
    for category in policy.categories:
        out(f"category {category.id}: {_text(category.label, lang)}")
    if policy.max_total is not None:
        out(f"maximum total: {policy.max_total:g}")


@app.command("test")
def run_policy_tests(
    policy_id: str | None = typer.Argument(None, help="Only this policy (default: every shipped policy)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List passing cases too."),
) -> None:
    """Run the hand-computed YAML cases; report each case and coverage; exit 1 if any case fails."""
    try:
        if policy_id is not None:
            policy_versions(policy_id)
        reports = run_shipped_cases(policy_id)
    except (PolicyNotFound, PolicyInvalid) as error:
        raise _fail(str(error)) from None
    passed = failed = 0
    for report in reports:
        typer.echo(f"== {report.file} ({report.policy_id} {report.version})")
        for result in report.results:
            if result.passed:
                passed += 1
                if verbose:
                    typer.echo(f"  PASS {result.name}")
                continue
            failed += 1
            typer.echo(f"  FAIL {result.name} (line {result.line})")
            for failure in result.failures:
                typer.echo(f"       {failure}")
        gaps = {
            "rows never used": report.uncovered_rows,
            "band boundaries never tested": report.untested_boundaries,
            "caps never reached": report.unreached_caps,
            "variants never taken": report.unused_variants,
        }
        if report.complete:
            typer.echo("  coverage: every row, band boundary, cap and variant")
        for label, items in gaps.items():
            if items:
                typer.echo(f"  coverage gap, {label}: {', '.join(items)}")
    typer.echo(f"{passed} passed, {failed} failed")
    if failed or not reports:
        raise typer.Exit(code=1)


@app.command()
def schema() -> None:
    """The JSON Schema of a policy file."""
    typer.echo(json.dumps(Policy.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))


__all__ = ["app", "list_policies", "policy_ids", "run_policy_tests", "schema", "show"]
