"""Models of the candidates domain: the canonical profile and its parts."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """One candidate's canonical profile (DESIGN.md section 5: one profile, every policy)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="profile"
    )
    external_id = models.CharField(max_length=64, unique=True, help_text="Stable id used by import and export.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.external_id
