"""talentgate: a platform for running a talent-attraction programme end to end."""

__version__ = "0.1.0"
