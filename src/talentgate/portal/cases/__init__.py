"""Portal pages of relocation cases: the staff queue, the case page and every action on it (``portal:cases``)."""
