"""``talentgate key generate | rotate``: after rotating, the old key can go; an interrupted run resumes from its cursor."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db.models import TextField
from django.db.models.functions import Cast
from typer.testing import CliRunner

from talentgate.accounts.roles import Role
from talentgate.candidates import services as candidates
from talentgate.candidates.models import IdentityDocument
from talentgate.canonical import CandidateProfile
from talentgate.canonical.examples import example_profile
from talentgate.cli import app
from talentgate.common import audit
from talentgate.common.models import AuditEntry, Job
from talentgate.ops import keys

pytestmark = pytest.mark.django_db
runner = CliRunner()
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
PASSPORTS = [f"N{i:08d}" for i in range(1, 6)]


def run(*args: str):
    return runner.invoke(app, list(args))


def stored_tokens() -> dict[int, str]:
    """The ciphertext as stored, by row id (read as text, so the field does not decrypt it)."""
    rows = IdentityDocument.objects.annotate(raw=Cast("number", TextField())).values_list("pk", "raw")
    return dict(rows)


def under(key: str, token: str) -> bool:
    try:
        Fernet(key).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


@pytest.fixture
def documents_under_the_old_key(settings, make_user):
    """Five passport numbers written while OLD_KEY was the only key; then NEW_KEY is put in front."""
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    officer = make_user(Role.OFFICER)
    for index in range(1, 6):
        candidates.save_profile(officer, CandidateProfile.model_validate(example_profile(index)))
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    return settings


def numbers() -> list[str]:
    return sorted(IdentityDocument.objects.values_list("number", flat=True))


def test_generate_prints_a_fresh_fernet_key_each_time():
    first, second = run("key", "generate"), run("key", "generate")
    assert first.exit_code == 0
    key = first.stdout.strip()
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"
    assert second.stdout.strip() != key


def test_after_rotation_the_old_key_can_be_dropped_and_every_value_still_decrypts(documents_under_the_old_key):
    settings = documents_under_the_old_key
    result = run("key", "rotate", "--batch-size", "2")
    assert result.exit_code == 0, result.output
    assert "5 values re-encrypted, 0 already under the newest key" in result.output
    assert all(under(NEW_KEY, token) for token in stored_tokens().values())

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert numbers() == PASSPORTS


def test_without_rotation_dropping_the_old_key_loses_the_values(documents_under_the_old_key):
    settings = documents_under_the_old_key
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    # The field hands back the undecryptable token rather than the number: what rotation prevents.
    assert not set(numbers()) & set(PASSPORTS)


def test_a_second_run_changes_nothing(documents_under_the_old_key):
    assert run("key", "rotate").exit_code == 0
    tokens = stored_tokens()
    again = run("key", "rotate")
    assert again.exit_code == 0, again.output
    assert "0 values re-encrypted, 5 already under the newest key" in again.output
    assert stored_tokens() == tokens


def test_an_interrupted_run_resumes_from_its_cursor(documents_under_the_old_key):
    ids = sorted(stored_tokens())

    def interrupt_after_first_batch(label: str, rows: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        keys.rotate_field_keys(batch_size=2, on_batch=interrupt_after_first_batch)
    job = Job.objects.get(kind=keys.JOB_KIND)
    assert job.status == Job.Status.RUNNING
    assert job.result["cursors"] == {"candidates.identitydocument": ids[1]}
    assert job.done == 2
    tokens = stored_tokens()
    assert [under(NEW_KEY, tokens[pk]) for pk in ids] == [True, True, False, False, False]

    resumed = run("key", "rotate", "--batch-size", "2")
    assert resumed.exit_code == 0, resumed.output
    assert f"resumed #{job.pk}: 3 rows read, 3 values re-encrypted" in resumed.output
    after = stored_tokens()
    assert [after[pk] for pk in ids[:2]] == [tokens[pk] for pk in ids[:2]]  # the first batch was not redone
    assert all(under(NEW_KEY, token) for token in after.values())
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.done == 5


def test_restart_ignores_the_cursor_and_a_new_newest_key_supersedes_an_interrupted_run(documents_under_the_old_key):
    settings = documents_under_the_old_key

    def interrupt(label: str, rows: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        keys.rotate_field_keys(batch_size=2, on_batch=interrupt)
    interrupted = Job.objects.get(kind=keys.JOB_KIND)
    newer = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [newer, NEW_KEY, OLD_KEY]
    report = keys.rotate_field_keys(batch_size=2)
    assert not report.resumed
    assert report.rows_seen == 5
    assert report.rotated == 5
    interrupted.refresh_from_db()
    assert interrupted.status == Job.Status.FAILED
    assert "superseded" in interrupted.error
    assert all(under(newer, token) for token in stored_tokens().values())


def test_a_value_no_key_decrypts_is_reported_by_id_and_left_alone(documents_under_the_old_key):
    settings = documents_under_the_old_key
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key dropped too early
    tokens = stored_tokens()
    result = run("key", "rotate")
    assert result.exit_code == 1
    first = min(tokens)
    assert f"UNREADABLE candidates.identitydocument#{first}.number" in result.output
    assert "N0000" not in result.output  # ids only, never values
    assert stored_tokens() == tokens


def test_a_finished_rotation_is_in_the_audit_trail(documents_under_the_old_key):
    assert run("key", "rotate").exit_code == 0
    (entry,) = AuditEntry.objects.filter(chain=keys.AUDIT_CHAIN)
    assert entry.action == "keys.rotated"
    assert entry.actor_id is None
    assert "candidates.identitydocument.number" in entry.fields
    assert audit.verify() == []


def test_rotation_finds_every_encrypted_field():
    found = {label for entry in keys.encrypted_models() for label in entry.field_labels}
    assert "candidates.identitydocument.number" in found


def test_a_batch_size_below_one_is_refused_naming_the_option():
    result = run("key", "rotate", "--batch-size", "0")
    assert result.exit_code == 2
    assert "--batch-size" in result.output
