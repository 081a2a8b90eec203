"""Portal pages for accounts without signing in: candidate sign-up, e-mail verification and password reset."""
