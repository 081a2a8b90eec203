"""Matrix entries of the candidate self-service: the account pages and routes used before signing in,
the candidate's pages under /candidate/ and the /api/candidates/me routes.

Before signing in there is no owner: sign-up, verification and password reset are exempt, each with
its reason. Everything under /candidate/ and /api/candidates/me acts on the signed-in candidate's
own records, so both candidates are admitted to their own and everyone else is refused.
"""

from __future__ import annotations

from permission_matrix.harness import Exempt

_NO_OWNER = "used before signing in; acts only on the account the e-mail address or the link names"

EXEMPT = [
    Exempt(r"^portal:account:(sign_up|sign_up_done|resend_verification)$", _NO_OWNER),
    Exempt(r"^portal:account:verify_email$", _NO_OWNER),
    Exempt(r"^portal:account:password_reset(_done|_confirm|_complete)?$", _NO_OWNER),
    Exempt(r"^api:accounts_(sign_up|verify_email|resend_verification)$", _NO_OWNER),
    Exempt(r"^api:accounts_(request|confirm)_password_reset$", _NO_OWNER),
]

ENDPOINTS: list = []
