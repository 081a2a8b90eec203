"""Portal pages of host organisations: sign-up, staff and invitations, opportunities and offers (``portal:host``)."""
