"""Framework-free matching engines: stable allocation of candidates to positions (``allocation`` is its front door)."""
