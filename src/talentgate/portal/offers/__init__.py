"""Portal pages of a candidate's offers: see them, accept or decline (``portal:offers``)."""
