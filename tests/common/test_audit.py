"""The audit trail: contiguous chains, signed heads, and tampering named at its first broken entry."""

from __future__ import annotations

import pytest
from django.test import override_settings
from typer.testing import CliRunner

from talentgate.accounts.roles import Role
from talentgate.cli import app
from talentgate.common import audit
from talentgate.common.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain_of_three(make_user):
    officer = make_user(Role.OFFICER)
    subject = make_user(Role.CANDIDATE)
    chain = audit.chain_for_person(subject.pk)
    for action in ("profile.updated", "document.uploaded", "consent.given"):
        audit.record(officer, action, subject, chain=chain, fields=["first_name"])
    return chain


def test_entries_link_into_a_contiguous_chain(chain_of_three):
    entries = list(AuditEntry.objects.filter(chain=chain_of_three).order_by("seq"))
    # user.created (by the manager, unaudited) + three recorded entries
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS_HASH
    assert entries[1].prev_hash == entries[0].entry_hash
    assert entries[2].prev_hash == entries[1].entry_hash
    head = AuditChainHead.objects.get(chain=chain_of_three)
    assert (head.seq, head.head_hash) == (3, entries[2].entry_hash)
    assert audit.verify() == []


def test_entries_hold_field_names_not_values(make_user):
    subject = make_user(Role.CANDIDATE, email="secret.person@example.test")
    entry = audit.record(None, "profile.updated", subject, chain="person:1", fields=["email", "email"])
    assert entry.fields == ["email"]
    assert "secret.person" not in str(AuditEntry.objects.values().get(pk=entry.pk))


def test_edited_entry_is_named(chain_of_three):
    AuditEntry.objects.filter(chain=chain_of_three, seq=2).update(action="profile.deleted")
    (problem,) = audit.verify()
    assert (problem.chain, problem.seq) == (chain_of_three, 2)
    assert "edited" in problem.problem


def test_deleted_middle_entry_is_named(chain_of_three):
    AuditEntry.objects.filter(chain=chain_of_three, seq=2).delete()
    (problem,) = audit.verify()
    assert problem.seq == 2
    assert "missing" in problem.problem


def test_reordered_entries_are_detected(chain_of_three):
    first = AuditEntry.objects.get(chain=chain_of_three, seq=1)
    second = AuditEntry.objects.get(chain=chain_of_three, seq=2)
    AuditEntry.objects.filter(pk=first.pk).update(seq=99)
    AuditEntry.objects.filter(pk=second.pk).update(seq=1)
    AuditEntry.objects.filter(pk=first.pk).update(seq=2)
    (problem,) = audit.verify()
    assert problem.seq == 1


def test_truncated_tail_is_detected_by_the_signed_head(chain_of_three):
    AuditEntry.objects.filter(chain=chain_of_three, seq=3).delete()
    (problem,) = audit.verify()
    assert "head" in problem.problem


def test_head_rewritten_without_the_key_is_detected(chain_of_three):
    AuditEntry.objects.filter(chain=chain_of_three, seq=3).delete()
    last = AuditEntry.objects.get(chain=chain_of_three, seq=2)
    with override_settings(AUDIT_SIGNING_KEY="an attacker's guess"):
        forged = audit.sign_head(chain_of_three, 2, last.entry_hash)
    AuditChainHead.objects.filter(chain=chain_of_three).update(seq=2, head_hash=last.entry_hash, signature=forged)
    (problem,) = audit.verify()
    assert "signature" in problem.problem


def test_cli_verify_names_the_first_broken_entry(chain_of_three):
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "verify"])
    assert ok.exit_code == 0, ok.output
    assert "no break found" in ok.output
    AuditEntry.objects.filter(chain=chain_of_three, seq=2).update(reason="rewritten")
    bad = runner.invoke(app, ["audit", "verify"])
    assert bad.exit_code == 1
    assert f"BROKEN {chain_of_three}#2" in bad.output


def test_record_many_continues_existing_chains_in_order(chain_of_three, make_user):
    other = make_user(Role.CANDIDATE)
    other_chain = audit.chain_for_person(other.pk)
    entries = audit.record_many(
        None,
        [
            audit.AuditEvent("a", other, chain_of_three),
            audit.AuditEvent("b", other, other_chain),
            audit.AuditEvent("c", other, chain_of_three, fields=["last_name"]),
        ],
    )
    assert [(e.chain, e.seq) for e in entries] == [(chain_of_three, 4), (other_chain, 1), (chain_of_three, 5)]
    assert entries[2].prev_hash == entries[0].entry_hash
    assert AuditChainHead.objects.get(chain=chain_of_three).seq == 5
    assert audit.verify() == []
