"""Relocation cases: from an accepted offer (or a competition award) to the permit, the move and the follow-ups."""
