"""``talentgate duplicate detect | reindex``: duplicate detection over stored profiles, and rebuilding the
identity keys (blind indexes, name search keys) after ``BLIND_INDEX_KEY`` changed."""

from __future__ import annotations

import typer

app = typer.Typer(help="Suspected duplicate people: detect them over stored profiles; rebuild the identity keys.")


@app.command()
def detect(
    profile: list[int] = typer.Option(None, "--profile", help="Only this profile id (repeatable); default: every one."),
) -> None:
    """Look for duplicates of every stored profile (or the ones named) and record the suspicions, as profile
    writes do (useful after a bulk load or a reindex). Pairs already decided stay as decided."""
    from talentgate.identity.detection import comparable_profiles, detect_duplicates

    ids = list(profile) if profile else list(comparable_profiles().order_by("pk").values_list("pk", flat=True))
    found: set[int] = set()
    with typer.progressbar(ids, label="detecting") as bar:
        for profile_id in bar:
            found.update(s.pk for s in detect_duplicates(profile_id))
    typer.echo(f"{len(ids)} profiles compared, {len(found)} open suspicions recorded or refreshed")


@app.command()
def reindex() -> None:
    """Recompute every blind index and name search key with the current BLIND_INDEX_KEY (batched, resumable)."""
    from talentgate.candidates.identity_keys import rebuild_identity_keys

    profiles, documents = rebuild_identity_keys()
    typer.echo(f"{profiles} name search keys and {documents} blind indexes rebuilt")
