"""Names of the UN M49 regions and sub-regions in the reader's language.

The country table stores a country's region by its English M49 name (``"Western Africa"``); the
Russian names are the UN Statistics Division's own (the M49 overview in Russian), shipped in
``data/m49_regions.csv`` with the region's M49 code. A name the table does not know is shown as stored.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

REGIONS_SOURCE = (
    "UN Statistics Division, Standard country or area codes for statistical use (M49), overview in Russian "
    "(https://unstats.un.org/unsd/methodology/m49/overview/)"
)


@cache
def _names() -> dict[str, dict[str, str]]:
    text = resources.files("talentgate.reference").joinpath("data", "m49_regions.csv").read_text(encoding="utf-8")
    return {row["name_en"]: {"en": row["name_en"], "ru": row["name_ru"]} for row in csv.DictReader(text.splitlines())}


def region_name(english_name: str, language: str) -> str:
    """``english_name`` (an M49 region as stored) in ``language`` ("ru", "en"; a region variant like "ru-RU" too).

    >>> region_name("Western Africa", "ru"), region_name("Western Africa", "en"), region_name("Atlantis", "ru")
    ('Западная Африка', 'Western Africa', 'Atlantis')
    """
    names = _names().get(english_name)
    if names is None:
        return english_name
    return names.get(language.split("-")[0], english_name)
