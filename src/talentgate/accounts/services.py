"""Writes on accounts: every one audited on the person's chain."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.common import audit
from talentgate.common.errors import FieldError, ValidationFailed


def create_user(
    actor: Any,
    *,
    email: str,
    password: str | None,
    role: Role = Role.CANDIDATE,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create an account; refuses a malformed or taken e-mail and a weak password."""
    errors: list[FieldError] = []
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(FieldError("email", "format", "Enter a valid e-mail address."))
    else:
        if User.objects.filter(email=email).exists():
            errors.append(FieldError("email", "unique", "An account with this e-mail address already exists."))
    if password is not None:
        try:
            validate_password(password, User(email=email, first_name=first_name, last_name=last_name))
        except ValidationError as exc:
            errors.extend(FieldError("password", "strength", message) for message in exc.messages)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        user = User.objects.create_user(email, password, role=role, first_name=first_name, last_name=last_name)
        audit.record(actor, "user.created", user, chain=audit.chain_for_person(user.pk), fields=["email", "role"])
    return user
