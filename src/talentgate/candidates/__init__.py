"""The canonical candidate profile: one profile, every policy."""
