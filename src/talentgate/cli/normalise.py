"""``talentgate normalise TEXT``: free-text job titles and skills to ranked ESCO concepts; ``talentgate normalise eval``.

Needs no database: the taxonomy and the normaliser are framework-free
(:mod:`talentgate.engines.taxonomy`). The word ``eval`` alone runs the evaluation set instead of
normalising it (``--literal`` normalises the word itself).
"""

from __future__ import annotations

import typer


def normalise(
    text: str = typer.Argument(
        ..., help="A job title or skill phrase, English or Russian; or 'eval' to run the evaluation set."
    ),
    kind: str | None = typer.Option(None, "--kind", help="occupation or skill (default: both)."),
    top: int = typer.Option(5, "--top", min=1, max=50, help="How many concepts to print."),
    literal: bool = typer.Option(False, "--literal", help="Normalise the text even when it is the word 'eval'."),
    show_misses: bool = typer.Option(False, "--misses", help="With eval: list the phrases missed at 1."),
) -> None:
    """Print the best ESCO (or curated) concepts for TEXT with their scores, or the evaluation figures."""
    from talentgate.engines.taxonomy.normaliser import KINDS, default_normaliser

    if kind is not None and kind not in KINDS:
        typer.echo(f"error: --kind: must be one of {', '.join(KINDS)}, not {kind!r}", err=True)
        raise typer.Exit(code=2)
    if text == "eval" and not literal:
        _evaluate(show_misses)
        return
    matches = default_normaliser().normalise(text, kind=kind, top=top)
    if not matches:
        typer.echo("no good match")
        return
    for rank, match in enumerate(matches, start=1):
        isco = f"  ISCO {match.isco_group}" if match.isco_group else ""
        typer.echo(f"{rank}. {match.score:.3f}  {match.kind:<10}  {match.label}  <{match.uri}>{isco}")
        typer.echo(f"   matched: {match.matched_label}")


def _evaluate(show_misses: bool) -> None:
    from talentgate.engines.taxonomy.evaluation import evaluate, load_evaluation
    from talentgate.engines.taxonomy.normaliser import default_normaliser

    items = load_evaluation()
    groups = evaluate(default_normaliser(), items)
    typer.echo(f"{'subset':<12} {'phrases':>8} {'acc@1':>7} {'acc@5':>7}")
    for name in ("overall", "occupation", "skill", "space", "russian"):
        accuracy = groups.get(name)
        if accuracy:
            typer.echo(f"{name:<12} {accuracy.count:>8} {accuracy.at_1:>7.3f} {accuracy.at_5:>7.3f}")
    if show_misses:
        for text, expected, found in groups["overall"].misses:
            typer.echo(f"miss: {text!r}: expected {expected}, found {found}")
