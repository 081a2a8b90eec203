"""``talentgate normalise TEXT``: free-text job titles and skills to ranked ESCO concepts; ``talentgate normalise eval``.

Needs no database: the taxonomy and the normalisers are framework-free
(:mod:`talentgate.engines.taxonomy`). The word ``eval`` alone runs the evaluation set instead of
normalising it (``--literal`` normalises the word itself). ``--method`` picks the lexical
normaliser (the default), the semantic one (the ``[semantic]`` extra) or both, side by side.
"""

from __future__ import annotations

from typing import Any

import typer

METHODS = ("lexical", "semantic", "both")


def normalise(
    text: str = typer.Argument(
        ..., help="A job title or skill phrase, English or Russian; or 'eval' to run the evaluation set."
    ),
    kind: str | None = typer.Option(None, "--kind", help="occupation or skill (default: both)."),
    top: int = typer.Option(5, "--top", min=1, max=50, help="How many concepts to print."),
    literal: bool = typer.Option(False, "--literal", help="Normalise the text even when it is the word 'eval'."),
    show_misses: bool = typer.Option(False, "--misses", help="With eval: list the phrases missed at 1."),
    method: str = typer.Option(
        "lexical",
        "--method",
        help="lexical (default), semantic (needs the [semantic] extra; English-only model) or both.",
    ),
) -> None:
    """Print the best ESCO (or curated) concepts for TEXT with their scores, or the evaluation figures."""
    from talentgate.engines.taxonomy.normaliser import KINDS

    if kind is not None and kind not in KINDS:
        typer.echo(f"error: --kind: must be one of {', '.join(KINDS)}, not {kind!r}", err=True)
        raise typer.Exit(code=2)
    if method not in METHODS:
        typer.echo(f"error: --method: must be one of {', '.join(METHODS)}, not {method!r}", err=True)
        raise typer.Exit(code=2)
    normalisers = _normalisers(method)
    if text == "eval" and not literal:
        _evaluate(normalisers, show_misses)
        return
    for name, normaliser in normalisers.items():
        if len(normalisers) > 1:
            typer.echo(f"[{name}]")
        matches = normaliser.normalise(text, kind=kind, top=top)
        if not matches:
            typer.echo("no good match")
        for rank, match in enumerate(matches, start=1):
            isco = f"  ISCO {match.isco_group}" if match.isco_group else ""
            typer.echo(f"{rank}. {match.score:.3f}  {match.kind:<10}  {match.label}  <{match.uri}>{isco}")
            typer.echo(f"   matched: {match.matched_label}")


def _normalisers(method: str) -> dict[str, Any]:
    """The normalisers ``--method`` names, built (the semantic one embeds the labels once, with a progress bar)."""
    from talentgate.engines.taxonomy.normaliser import default_normaliser
    from talentgate.engines.taxonomy.semantic import SemanticUnavailable, default_semantic_normaliser

    chosen: dict[str, Any] = {}
    if method in ("lexical", "both"):
        chosen["lexical"] = default_normaliser()
    if method in ("semantic", "both"):
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("embedding the taxonomy's labels (once; then cached)", total=None)
            try:
                chosen["semantic"] = default_semantic_normaliser(
                    progress=lambda done, total: bar.update(task, completed=done, total=total)
                )
            except SemanticUnavailable as error:
                typer.echo(f"error: --method {method}: {error}", err=True)
                raise typer.Exit(code=2) from None
    return chosen


def _evaluate(normalisers: dict[str, Any], show_misses: bool) -> None:
    from talentgate.engines.taxonomy.evaluation import comparison_table, evaluate, load_evaluation

    items = load_evaluation()
    results = {name: evaluate(normaliser, items) for name, normaliser in normalisers.items()}
    for line in comparison_table(results):
        typer.echo(line)
    if show_misses:
        for name, groups in results.items():
            for text, expected, found in groups["overall"].misses:
                typer.echo(f"miss ({name}): {text!r}: expected {expected}, found {found}")
