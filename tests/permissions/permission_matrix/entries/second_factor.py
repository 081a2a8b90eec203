"""Matrix entries of the staff second factor: setting up an authenticator, entering a code, new backup codes.

Each acts only on the signed-in person's own devices; people a second factor is not for are refused.
"""

from __future__ import annotations

from permission_matrix.harness import PROGRAMME_SIDE, STAFF_WITHOUT_PERMISSIONS, Endpoint

STAFF = frozenset({*PROGRAMME_SIDE, STAFF_WITHOUT_PERMISSIONS})

ENDPOINTS = [
    Endpoint("portal:account:second_factor_enrol", STAFF),
    # (POST to the set-up page needs the code of the moment of the actor's own new key, which a body shared by
    # every actor cannot hold: tests/portal/account/test_second_factor_pages.py tries it, and its refusals.)
    Endpoint("portal:account:second_factor_verify", STAFF),
    Endpoint("portal:account:second_factor_verify", STAFF, method="POST", body=lambda w: {"otp_token": "000000"}),
    Endpoint("portal:account:second_factor_backup_codes", STAFF, method="POST"),
]
