"""E-mail preferences: only one's own, essential kinds refused by name, every change audited on the person's chain."""

from __future__ import annotations

import pytest

from talentgate.accounts.roles import Role
from talentgate.common import audit
from talentgate.common.errors import PermissionRefused, ValidationFailed
from talentgate.common.models import AuditEntry
from talentgate.notifications import selectors, services
from talentgate.notifications.models import EmailOptOut

pytestmark = pytest.mark.django_db


def _entries(user):
    return list(AuditEntry.objects.filter(chain=audit.chain_for_person(user.pk)).values_list("action", "actor_id"))


def test_a_change_is_audited_once_and_a_repeat_changes_nothing(make_user):
    person = make_user(Role.CANDIDATE)
    before = len(_entries(person))
    assert services.set_email_preferences(person, person, {"status_changed": False, "offer_lapsed": True}) == [
        "status_changed"
    ]
    assert services.set_email_preferences(person, person, {"status_changed": False}) == ["status_changed"]
    entries = _entries(person)[before:]
    assert entries == [("notifications.email_preferences_set", person.pk)]
    entry = AuditEntry.objects.filter(chain=audit.chain_for_person(person.pk)).last()
    assert entry.fields == ["email_opt_outs"]
    assert services.set_email_preferences(person, person, {"status_changed": True}) == []
    assert not EmailOptOut.objects.exists()


def test_the_unsubscribe_link_is_audited_without_an_actor(make_user):
    person = make_user(Role.CANDIDATE)
    user, kind = services.unsubscribe(services.unsubscribe_token(person, "message_received"))
    assert (user, kind.code) == (person, "message_received")
    assert _entries(person)[-1] == ("notifications.email_preferences_set", None)
    assert EmailOptOut.objects.get().source == EmailOptOut.Source.LINK


def test_nobody_changes_another_persons_preferences(make_user):
    person = make_user(Role.CANDIDATE)
    with pytest.raises(PermissionRefused) as refused:
        services.set_email_preferences(make_user(Role.ADMINISTRATOR), person, {"status_changed": False})
    assert refused.value.errors[0].rule == "owner"
    assert not EmailOptOut.objects.exists()


def test_essential_kinds_are_refused_by_name_and_nothing_changes(make_user):
    person = make_user(Role.CANDIDATE)
    with pytest.raises(ValidationFailed) as refused:
        services.set_email_preferences(person, person, {"status_changed": False, "information_requested": False})
    assert [(e.field, e.rule) for e in refused.value.errors] == [("email.information_requested", "essential")]
    assert "cannot be turned off" in refused.value.errors[0].message
    assert not EmailOptOut.objects.exists()


def test_preferences_list_essential_kinds_first_and_always_on(make_user):
    person = make_user(Role.CANDIDATE)
    services.set_email_preferences(person, person, {"offer_lapsed": False})
    preferences = selectors.email_preferences_for(person)
    essential = [p.essential for p in preferences]
    assert essential == sorted(essential, reverse=True)
    by_kind = {p.kind.code: p.email for p in preferences}
    assert by_kind["offer_lapsed"] is False
    assert by_kind["decision_made"] is True
    assert selectors.email_preferences_for(None) == []
