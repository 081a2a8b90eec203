"""API token services and their admin: issued once, hashed, limited, revoked for good."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from talentgate.accounts.models import ApiToken
from talentgate.accounts.roles import Role
from talentgate.accounts.services import (
    MAX_ACTIVE_API_TOKENS,
    create_api_token,
    revoke_api_token,
    set_preferred_language,
)
from talentgate.common.errors import Conflict, PermissionRefused, ValidationFailed

pytestmark = pytest.mark.django_db


def test_nobody_issues_tokens_for_someone_else_except_administrators(make_user):
    owner, stranger, admin = make_user(), make_user(Role.OFFICER), make_user(Role.ADMINISTRATOR)
    with pytest.raises(PermissionRefused):
        create_api_token(stranger, user=owner, name="x")
    assert create_api_token(admin, user=owner, name="x").token.user == owner


def test_revoked_name_may_be_reused(make_user):
    user = make_user()
    revoke_api_token(user, create_api_token(user, user=user, name="ci").token)
    assert create_api_token(user, user=user, name="ci").token.revoked is None


def test_active_token_limit(make_user):
    user = make_user()
    for n in range(MAX_ACTIVE_API_TOKENS):
        create_api_token(user, user=user, name=f"t{n}")
    with pytest.raises(Conflict) as refused:
        create_api_token(user, user=user, name="one too many")
    assert refused.value.errors[0].rule == "limit"
    assert ApiToken.objects.filter(user=user).count() == MAX_ACTIVE_API_TOKENS


def test_inactive_user_gets_no_token(make_user):
    admin, user = make_user(Role.ADMINISTRATOR), make_user()
    user.is_active = False
    user.save()
    with pytest.raises(ValidationFailed) as refused:
        create_api_token(admin, user=user, name="x")
    assert (refused.value.errors[0].field, refused.value.errors[0].rule) == ("user", "active")


def test_preferred_language_is_validated_and_audited(make_user):
    user = make_user()
    with pytest.raises(ValidationFailed) as refused:
        set_preferred_language(user, user, "de")
    assert refused.value.errors[0].field == "preferred_language"
    set_preferred_language(user, user, "ru")
    user.refresh_from_db()
    assert user.preferred_language == "ru"
    with pytest.raises(PermissionRefused):
        set_preferred_language(make_user(), user, "en")


def test_admin_issues_a_token_and_shows_the_key_once(admin_client, make_user):
    owner = make_user()
    response = admin_client.post("/admin/accounts/apitoken/add/", {"user": owner.pk, "name": "import job"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get(user=owner)
    shown = [str(m) for m in get_messages(response.wsgi_request)] + [response.content.decode()]
    assert any(token.prefix in text for text in shown)
    assert token.key_hash not in response.content.decode()


def test_admin_add_shows_a_refusal_next_to_the_field(admin_client, make_user):
    owner = make_user()
    create_api_token(owner, user=owner, name="dup")
    response = admin_client.post("/admin/accounts/apitoken/add/", {"user": owner.pk, "name": "dup"})
    assert response.status_code == 200
    assert "already have an active token with this name" in response.content.decode()
    assert ApiToken.objects.filter(user=owner).count() == 1


def test_admin_revoke_action(admin_client, make_user):
    owner = make_user()
    issued = create_api_token(owner, user=owner, name="leaked")
    admin_client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_selected", "_selected_action": [issued.token.pk]},
    )
    assert ApiToken.objects.get(pk=issued.token.pk).revoked is not None
