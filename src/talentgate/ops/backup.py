"""Backup and restore: the database, the uploaded files and the audit-chain heads in one checksummed archive.

An archive is a gzipped tar with

- ``database/talentgate.sqlite3`` (SQLite's online backup API: a consistent copy while
  the web server and worker keep running) or ``database/talentgate.pgdump``
  (``pg_dump --format=custom``);
- ``media/<name>`` for every file in the default storage (local disk or object storage);
- ``audit/heads.json``: every audit chain's signed head, so a restore can prove the
  database it brought back ends where the chains ended when the backup was taken;
- ``manifest.json`` (written last): format and software versions, date, database
  vendor and applied migrations, ids of the keys in use (never the keys) and the
  SHA-256 and size of every other member.

Restore checks every checksum before it touches anything, refuses a database that
already holds data unless forced, replaces the whole database (PostgreSQL: in one
transaction), writes the files back and then verifies the audit chains. The keys
(``FIELD_ENCRYPTION_KEYS``, ``AUDIT_SIGNING_KEY``) are not in the archive: keep them
separately, or the restored encrypted fields cannot be read and the heads not verified.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from talentgate.common import audit
from talentgate.common.errors import Conflict, FieldError, ValidationFailed
from talentgate.common.models import AuditChainHead
from talentgate.ops import logs
from talentgate.ops.health import PROBE_DIRECTORY
from talentgate.ops.keys import key_id

_log = logs.get_logger("talentgate.backup")

ARCHIVE_FORMAT = "talentgate-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
AUDIT_HEADS = "audit/heads.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database/talentgate.sqlite3", "postgresql": "database/talentgate.pgdump"}
_CHUNK = 1024 * 1024

Progress = Callable[[str, int, int], None]
"""``on_progress(phase, done, total)``: called as files are written or read."""


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass
class BackupReport:
    path: Path
    manifest: dict[str, Any]

    @property
    def media_files(self) -> int:
        return int(self.manifest["counts"]["media_files"])

    @property
    def audit_chains(self) -> int:
        return int(self.manifest["counts"]["audit_chains"])


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    media_restored: int = 0
    media_left_in_place: int = 0
    chain_breaks: list[str] = field(default_factory=list)
    heads_differing: list[str] = field(default_factory=list)
    unapplied_migrations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.chain_breaks and not self.heads_differing


# --------------------------------------------------------------------------------- helpers


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader(io.RawIOBase):
    """Reads through to ``inner`` while hashing, so a file is hashed in the same pass that archives it."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.inner.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _storage_files(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in ``storage`` (``/``-separated), depth first; a storage with no root yet has none."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        if not directory and name == PROBE_DIRECTORY:
            continue  # the health probe's transient files
        yield from _storage_files(storage, f"{directory}/{name}" if directory else name)


def _applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _postgres_env() -> dict[str, str]:
    """libpq environment for the configured database: the password goes in the environment, never in argv."""
    config = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if config.get(key):
            env[variable] = str(config[key])
    env["PGDATABASE"] = str(config["NAME"])
    if sslmode := (config.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ValidationFailed.single(
            "database",
            "tool_missing",
            _("%(tool)s is not installed (Debian package postgresql-client).") % {"tool": name},
        )
    return found


def _run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    completed = subprocess.run(argv, env=_postgres_env(), capture_output=True, check=False, **kwargs)
    if completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip().splitlines()
        raise ValidationFailed.single(
            "database",
            "dump_tool_failed",
            _("%(tool)s failed: %(message)s") % {"tool": Path(argv[0]).name, "message": " ".join(message[-3:])},
        )
    return completed


def _vendor() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise ValidationFailed.single(
            "database",
            "unsupported",
            _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": connection.vendor},
        )
    return str(connection.vendor)


#: Audit chains about people, cases and organisations: entries there mean the database is in use.
#: Other chains (e.g. ``registry``, written when ``migrate`` loads shipped reference data) do not count.
_SUBJECT_CHAIN_PREFIXES = ("person:", "profile:", "case:", "organisation:")


def database_holds_data() -> bool:
    """True when the database has a user account, or an audit entry made by a user or about a subject.

    Those are what a restore must never silently destroy. Other rows do not count:
    ``migrate`` fills content types, permissions and reference data by itself (and audits
    that on a system chain), so a fresh database that was only migrated is still empty.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from talentgate.common.models import AuditEntry

    existing = set(connection.introspection.table_names())
    user_model = get_user_model()
    if user_model._meta.db_table in existing and user_model._base_manager.exists():
        return True
    if AuditEntry._meta.db_table not in existing:
        return False
    about_a_subject = Q(actor_id__isnull=False)
    for prefix in _SUBJECT_CHAIN_PREFIXES:
        about_a_subject |= Q(chain__startswith=prefix)
    return AuditEntry.objects.filter(about_a_subject).exists()


# --------------------------------------------------------------------------------- backup


def _dump_database(vendor: str, target: Path) -> str:
    """Write a consistent copy of the database to ``target``; return how it was made (for the manifest)."""
    if vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot page by page, while writers carry on.
            connection.connection.backup(copy)
        finally:
            copy.close()
        return f"sqlite3 backup API (SQLite {sqlite3.sqlite_version})"
    pg_dump = _tool("pg_dump")
    _run([pg_dump, "--format=custom", "--no-owner", "--no-acl", f"--file={target}"])
    version = _run([pg_dump, "--version"]).stdout.decode().strip()
    return version


def _resolve_output(output: Path, now: datetime) -> Path:
    if output.is_dir():
        return output / f"talentgate-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    if output.exists():
        raise ValidationFailed.single(
            "output", "exists", _("%(path)s already exists; name a new file or a directory.") % {"path": output}
        )
    if not output.parent.is_dir():
        raise ValidationFailed.single(
            "output", "no_directory", _("The directory %(path)s does not exist.") % {"path": output.parent}
        )
    return output


def create_backup(output: Path, *, on_progress: Progress = _no_progress) -> BackupReport:
    """Write one archive of the database, the uploaded files and the audit heads to ``output`` (file or directory).

    The archive is written beside its final name and renamed at the end, so an
    interrupted backup never leaves a file that looks complete.
    """
    vendor = _vendor()
    now = datetime.now(UTC).replace(microsecond=0)
    path = _resolve_output(Path(output), now)
    files: dict[str, dict[str, Any]] = {}
    partial = path.with_name(f".{path.name}.partial")
    with tempfile.TemporaryDirectory(prefix="talentgate-backup-") as scratch:
        dump = Path(scratch) / "database"
        dump_tool = _dump_database(vendor, dump)
        heads = [
            {
                "chain": head.chain,
                "seq": head.seq,
                "head_hash": head.head_hash,
                "signature": head.signature,
                "updated_at": head.updated_at.isoformat(),
            }
            for head in AuditChainHead.objects.order_by("chain")
        ]
        heads_bytes = json.dumps(heads, indent=1).encode()
        media = list(_storage_files(default_storage))
        try:
            with tarfile.open(partial, "w:gz") as archive:
                member = DATABASE_MEMBERS[vendor]
                archive.add(dump, arcname=member)
                files[member] = {"sha256": _sha256_of(dump), "size": dump.stat().st_size}
                _add_bytes(archive, AUDIT_HEADS, heads_bytes, now)
                files[AUDIT_HEADS] = {"sha256": hashlib.sha256(heads_bytes).hexdigest(), "size": len(heads_bytes)}
                for done, name in enumerate(media, start=1):
                    files[MEDIA_PREFIX + name] = _add_storage_file(archive, default_storage, name)
                    on_progress("media", done, len(media))
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": now.isoformat(),
                    "versions": {
                        "talentgate": _talentgate_version(),
                        "django": django.get_version(),
                        "python": platform.python_version(),
                    },
                    "database": {
                        "vendor": vendor,
                        "server_version": _server_version(),
                        "dump_tool": dump_tool,
                        "migrations": _applied_migrations(),
                    },
                    "keys": {
                        "field_encryption_key_ids": [key_id(k) for k in settings.FIELD_ENCRYPTION_KEYS],
                        "audit_signing_key_id": key_id(settings.AUDIT_SIGNING_KEY),
                    },
                    "counts": {"media_files": len(media), "audit_chains": len(heads)},
                    "files": files,
                }
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode(), now)
            partial.replace(path)
        finally:
            partial.unlink(missing_ok=True)
    _log.info("backup.written", archive=str(path), media_files=len(media), audit_chains=len(heads))
    return BackupReport(path=path, manifest=manifest)


def _talentgate_version() -> str:
    from talentgate import __version__

    return __version__


def _server_version() -> str:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    return str(connection.connection.info.server_version)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, when: datetime) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(when.timestamp()), 0o600
    archive.addfile(info, io.BytesIO(data))


def _add_storage_file(archive: tarfile.TarFile, storage: Storage, name: str) -> dict[str, Any]:
    info = tarfile.TarInfo(MEDIA_PREFIX + name)
    info.size, info.mode = storage.size(name), 0o600
    with storage.open(name, "rb") as handle:
        reader = _HashingReader(handle)
        archive.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


# --------------------------------------------------------------------------------- restore


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def read_manifest(archive_path: Path) -> dict[str, Any]:
    """The archive's manifest, checked to be one this version can restore."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            handle = archive.extractfile(MANIFEST)
            manifest = json.loads(handle.read()) if handle is not None else None
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError, EOFError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        raise ValidationFailed.single(
            "archive", "not_a_backup", _("%(path)s is not a talentgate backup archive.") % {"path": archive_path}
        )
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ValidationFailed.single(
            "archive",
            "format_version",
            _("Archive format version %(found)s is not supported (this version reads %(expected)s).")
            % {"found": manifest.get("format_version"), "expected": FORMAT_VERSION},
        )
    return manifest


def _extract_and_verify(archive_path: Path, manifest: dict[str, Any], into: Path) -> None:
    """Extract every listed member into ``into``, refusing unlisted or unsafe members and any checksum mismatch."""
    expected: dict[str, dict[str, Any]] = manifest["files"]
    seen: set[str] = set()
    problems: list[FieldError] = []
    with tarfile.open(archive_path, "r:gz") as archive:
        for member in archive:
            if member.name == MANIFEST:
                continue
            if member.name not in expected or not member.isfile() or not _safe_member_name(member.name):
                problems.append(
                    FieldError(member.name, "unexpected_member", _("This member is not listed in the manifest."))
                )
                continue
            target = into / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            assert source is not None  # isfile() was checked
            digest, size = hashlib.sha256(), 0
            with target.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            seen.add(member.name)
            if digest.hexdigest() != expected[member.name]["sha256"] or size != expected[member.name]["size"]:
                problems.append(
                    FieldError(
                        member.name, "checksum", _("The content does not match its SHA-256 checksum in the manifest.")
                    )
                )
    problems.extend(
        FieldError(name, "missing_member", _("Listed in the manifest but missing from the archive."))
        for name in sorted(set(expected) - seen)
    )
    if problems:
        raise ValidationFailed(problems)


def _check_schema_is_known(manifest: dict[str, Any]) -> list[str]:
    """Refuse a backup from a newer schema; return this code's migrations that the backup lacks."""
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    archived = set(manifest["database"]["migrations"])
    unknown = sorted(archived - known)
    if unknown:
        raise ValidationFailed.single(
            "archive",
            "newer_schema",
            _("The backup was taken by a newer version (unknown migrations: %(names)s); restore it with that version.")
            % {"names": ", ".join(unknown[:5])},
        )
    return sorted(known - archived)


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # Copies every page over the live database: afterwards it is exactly the archived one.
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgres(dump: Path) -> None:
    """Drop every table of the schema and load the dump, all in one psql transaction (all or nothing)."""
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    quote = connection.ops.quote_name
    tables = connection.introspection.table_names()
    connection.close()
    env = _postgres_env()
    drop = f"DROP TABLE IF EXISTS {', '.join(quote(t) for t in tables)} CASCADE;\n" if tables else ""
    loader = subprocess.Popen(
        [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    reader = subprocess.Popen(
        [pg_restore, "--no-owner", "--no-acl", "--no-comments", "-f", "-", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert loader.stdin is not None
    assert reader.stdout is not None
    try:
        loader.stdin.write(drop.encode())
        shutil.copyfileobj(reader.stdout, loader.stdin, _CHUNK)
        loader.stdin.close()
    except BrokenPipeError:
        pass  # psql stopped on an error: its stderr says which
    reader_err = reader.stderr.read() if reader.stderr else b""
    loader_err = loader.stderr.read() if loader.stderr else b""
    if reader.wait() != 0 or loader.wait() != 0:
        message = (reader_err or loader_err).decode(errors="replace").strip().splitlines()
        raise ValidationFailed.single(
            "database",
            "restore_failed",
            _("Loading the database dump failed and nothing was changed: %(message)s")
            % {"message": " ".join(message[-3:])},
        )


def _restore_media(staging: Path, manifest: dict[str, Any], on_progress: Progress) -> tuple[int, int]:
    names = sorted(n.removeprefix(MEDIA_PREFIX) for n in manifest["files"] if n.startswith(MEDIA_PREFIX))
    for done, name in enumerate(names, start=1):
        if default_storage.exists(name):
            default_storage.delete(name)
        with (staging / MEDIA_PREFIX / name).open("rb") as handle:
            saved = default_storage.save(name, File(handle))
        if saved != name:
            raise ValidationFailed.single(
                MEDIA_PREFIX + name,
                "storage_renamed",
                _("The storage stored the file as %(saved)s instead of its original name.") % {"saved": saved},
            )
        on_progress("media", done, len(names))
    restored = set(names)
    left = sum(1 for name in _storage_files(default_storage) if name not in restored)
    return len(names), left


def _compare_heads(staging: Path) -> list[str]:
    archived = {h["chain"]: h for h in json.loads((staging / AUDIT_HEADS).read_bytes())}
    current = {h.chain: h for h in AuditChainHead.objects.all()}
    differing = []
    for chain in sorted(archived.keys() | current.keys()):
        saved, now = archived.get(chain), current.get(chain)
        if (
            saved is None
            or now is None
            or (saved["seq"], saved["head_hash"], saved["signature"])
            != (
                now.seq,
                now.head_hash,
                now.signature,
            )
        ):
            differing.append(chain)
    return differing


def restore_backup(archive_path: Path, *, force: bool = False, on_progress: Progress = _no_progress) -> RestoreReport:
    """Bring back a backup: database, files, then verify the audit chains against the archived heads.

    Refuses (changing nothing) when the archive is damaged or not ours, was taken from
    another database vendor or a newer schema, or, unless ``force``, when the database
    already holds data. Stop the web server and the worker first: the database is
    replaced underneath them.
    """
    archive_path = Path(archive_path)
    manifest = read_manifest(archive_path)
    vendor = _vendor()
    if manifest["database"]["vendor"] != vendor:
        raise ValidationFailed.single(
            "archive",
            "vendor_mismatch",
            _("The backup holds a %(archived)s database; the configured database is %(configured)s.")
            % {"archived": manifest["database"]["vendor"], "configured": vendor},
        )
    unapplied = _check_schema_is_known(manifest)
    report = RestoreReport(manifest=manifest, unapplied_migrations=unapplied)
    with tempfile.TemporaryDirectory(prefix="talentgate-restore-") as scratch:
        staging = Path(scratch)
        _extract_and_verify(archive_path, manifest, staging)
        if not force and database_holds_data():
            raise Conflict(
                "database",
                "not_empty",
                _("The database already holds data; restore into an empty database, or pass --force to replace it."),
            )
        dump = staging / DATABASE_MEMBERS[vendor]
        if vendor == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgres(dump)
        ContentType.objects.clear_cache()
        report.media_restored, report.media_left_in_place = _restore_media(staging, manifest, on_progress)
        report.heads_differing = _compare_heads(staging)
    report.chain_breaks = [str(b) for b in audit.verify()]
    keys = manifest.get("keys", {})
    configured = {key_id(k) for k in settings.FIELD_ENCRYPTION_KEYS}
    if keys.get("field_encryption_key_ids") and not configured & set(keys["field_encryption_key_ids"]):
        report.warnings.append(
            _("None of the backup's field-encryption keys is configured: encrypted fields will not decrypt.")
        )
    if keys.get("audit_signing_key_id") and keys["audit_signing_key_id"] != key_id(settings.AUDIT_SIGNING_KEY):
        report.warnings.append(_("The audit signing key differs from the backup's: chain heads will not verify."))
    _log.info(
        "backup.restored",
        archive=str(archive_path),
        media_files=report.media_restored,
        chain_breaks=len(report.chain_breaks),
        heads_differing=len(report.heads_differing),
    )
    return report
