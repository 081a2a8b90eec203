"""The user account: logs in with an e-mail address and holds exactly one role."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from talentgate.accounts.roles import Role


class EmailUserManager(UserManager["User"]):
    """Creates users keyed by e-mail; ``username`` mirrors the e-mail for Django's admin."""

    def _create_user_object(self, username: str | None, email: str | None, password: str | None, **extra: Any) -> User:
        email = self.normalize_email(email or username or "").lower()
        user = self.model(username=email, email=email, **extra)
        user.set_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", Role.CANDIDATE)
        user = self._create_user_object(email, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMINISTRATOR)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in. The role decides what they may see; selectors decide which objects."""

    email = models.EmailField(_("e-mail address"), unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CANDIDATE, db_index=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, blank=True, help_text=_("Empty: follow the browser.")
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = EmailUserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.lower()
        self.username = self.email
        super().save(*args, **kwargs)
