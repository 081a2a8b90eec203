"""ESCO taxonomy: bundled occupations and skills, the priority-sector synonym list, and the free-text normaliser."""
