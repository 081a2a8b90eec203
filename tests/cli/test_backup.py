"""``talentgate backup`` and ``talentgate restore``: a round trip into an empty database verifies; bad archives change nothing."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from typer.testing import CliRunner

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.candidates import services as candidates
from talentgate.candidates.models import Document, IdentityDocument
from talentgate.canonical import CandidateProfile
from talentgate.canonical.examples import example_profile
from talentgate.cli import app
from talentgate.common import audit
from talentgate.common.models import AuditChainHead, AuditEntry
from talentgate.ops.backup import AUDIT_HEADS, MANIFEST, database_holds_data

pytestmark = pytest.mark.django_db(transaction=True)
runner = CliRunner()
PDF = b"%PDF-1.4\n% a small test document\n%%EOF\n"


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def programme_data(make_user, media):
    """An officer, two imported profiles with passport numbers, and one uploaded document: audit chains included."""
    officer = make_user(Role.OFFICER)
    profile, _ = candidates.save_profile(officer, CandidateProfile.model_validate(example_profile(1)))
    candidates.save_profile(officer, CandidateProfile.model_validate(example_profile(2)))
    document = candidates.add_document(officer, profile, kind="passport", file=ContentFile(PDF, name="passport.pdf"))
    return {"officer": officer, "profile": profile, "document": document}


def backup_to(directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    result = run("backup", "--output", str(directory))
    assert result.exit_code == 0, result.output
    (archive,) = directory.glob("talentgate-backup-*.tar.gz")
    return archive


def empty_the_database() -> None:
    call_command("flush", interactive=False, verbosity=0)
    assert not User.objects.exists()
    assert not database_holds_data()  # migrate may load reference data (audited on a system chain): still empty


def rewrite_archive(source: Path, target: Path, change) -> None:
    """Copy ``source`` to ``target`` with ``change(name, data) -> data`` applied to every member."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            data = change(member.name, data)
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def test_restore_into_an_empty_database_brings_everything_back_and_audit_verify_passes(
    programme_data, media, settings, tmp_path
):
    chains_before = AuditChainHead.objects.count()
    file_name = programme_data["document"].file.name
    archive = backup_to(tmp_path / "backups")

    empty_the_database()
    settings.MEDIA_ROOT = str(tmp_path / "fresh-media")
    result = run("restore", str(archive))
    assert result.exit_code == 0, result.output
    assert f"audit: {chains_before} chains match the archived heads and verify" in result.output

    verified = run("audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert f"audit: {chains_before} chains verified, no break found" in verified.output
    assert User.objects.filter(pk=programme_data["officer"].pk).exists()
    assert sorted(IdentityDocument.objects.values_list("number", flat=True)) == ["N00000001", "N00000002"]
    assert (tmp_path / "fresh-media" / file_name).read_bytes() == PDF
    assert Document.objects.get(pk=programme_data["document"].pk).file.read() == PDF


def test_restore_refuses_a_database_that_holds_data_unless_forced(programme_data, tmp_path):
    archive = backup_to(tmp_path / "backups")
    later = audit.record(programme_data["officer"], "profile.viewed", programme_data["profile"], chain="person:later")

    refused = run("restore", str(archive))
    assert refused.exit_code == 1
    assert "database: The database already holds data" in refused.output
    assert "[not_empty]" in refused.output
    assert AuditEntry.objects.filter(pk=later.pk).exists()  # nothing was replaced

    forced = run("restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output
    assert not AuditEntry.objects.filter(chain="person:later").exists()  # the database is the archived one again
    assert run("audit", "verify").exit_code == 0


def test_manifest_lists_versions_date_counts_and_a_checksum_per_member(programme_data, tmp_path):
    archive = backup_to(tmp_path / "backups")
    with tarfile.open(archive, "r:gz") as opened:
        names = opened.getnames()
        manifest = json.loads(opened.extractfile(MANIFEST).read())
        heads = json.loads(opened.extractfile(AUDIT_HEADS).read())
    assert manifest["format"] == "talentgate-backup"
    assert set(manifest["versions"]) == {"talentgate", "django", "python"}
    assert manifest["created_at"].endswith("+00:00")
    assert manifest["database"]["vendor"] == connection.vendor
    assert "common.0001_initial" in manifest["database"]["migrations"]
    assert manifest["counts"] == {"media_files": 1, "audit_chains": AuditChainHead.objects.count()}
    assert sorted(names) == sorted([*manifest["files"], MANIFEST])
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())
    assert [h["chain"] for h in heads] == sorted(AuditChainHead.objects.values_list("chain", flat=True))
    from django.conf import settings

    assert settings.FIELD_ENCRYPTION_KEYS[0] not in json.dumps(manifest)  # key ids, never the keys


def test_a_damaged_archive_is_refused_naming_the_member_and_nothing_changes(programme_data, tmp_path):
    archive = backup_to(tmp_path / "backups")
    damaged = tmp_path / "damaged.tar.gz"
    rewrite_archive(archive, damaged, lambda name, data: data + b"tampered" if name.startswith("media/") else data)
    empty_the_database()
    result = run("restore", str(damaged))
    assert result.exit_code == 1
    assert "error: media/" in result.output
    assert "[checksum]" in result.output
    assert not User.objects.exists()  # the empty database stayed empty


def test_restore_reports_heads_that_differ_from_the_archived_ones(programme_data, tmp_path):
    """Someone rewrote the archive's heads (and fixed the manifest's checksum): the restored database disagrees."""
    archive = backup_to(tmp_path / "backups")
    rewritten = tmp_path / "rewritten.tar.gz"
    new_heads: dict[str, bytes] = {}

    def change(name: str, data: bytes) -> bytes:
        if name == AUDIT_HEADS:
            heads = json.loads(data)
            heads[0]["seq"] += 1
            new_heads["data"] = json.dumps(heads).encode()
            return new_heads["data"]
        if name == MANIFEST:
            import hashlib

            manifest = json.loads(data)
            manifest["files"][AUDIT_HEADS] = {
                "sha256": hashlib.sha256(new_heads["data"]).hexdigest(),
                "size": len(new_heads["data"]),
            }
            return json.dumps(manifest).encode()
        return data

    rewrite_archive(archive, rewritten, change)
    first_chain = AuditChainHead.objects.order_by("chain").first().chain
    empty_the_database()
    result = run("restore", str(rewritten))
    assert result.exit_code == 1
    assert f"HEAD MISMATCH {first_chain}" in result.output


@pytest.mark.django_db  # refused before any dump: no committed data needed, so no costly flush afterwards
def test_backup_refuses_to_overwrite_an_existing_file(programme_data, tmp_path):
    existing = tmp_path / "taken.tar.gz"
    existing.write_bytes(b"precious")
    result = run("backup", "--output", str(existing))
    assert result.exit_code == 1
    assert "output:" in result.output
    assert "[exists]" in result.output
    assert existing.read_bytes() == b"precious"


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    stranger = tmp_path / "photo.tar.gz"
    stranger.write_bytes(b"not a tar at all")
    result = run("restore", str(stranger))
    assert result.exit_code == 1
    assert "[not_a_backup]" in result.output


@pytest.mark.postgres
def test_postgres_backup_is_a_pg_dump_archive_that_pg_restore_reads(programme_data, tmp_path):
    """The round trip above runs on PostgreSQL too; this checks the dump itself is pg_dump's custom format."""
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://...")
    import subprocess

    archive = backup_to(tmp_path / "backups")
    with tarfile.open(archive, "r:gz") as opened:
        manifest = json.loads(opened.extractfile(MANIFEST).read())
        opened.extract("database/talentgate.pgdump", tmp_path, filter="data")
    assert manifest["database"]["dump_tool"].startswith("pg_dump")
    listing = subprocess.run(
        ["pg_restore", "--list", str(tmp_path / "database" / "talentgate.pgdump")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "TABLE DATA public common_auditchainhead" in listing
    assert "TABLE DATA public candidates_identitydocument" in listing
