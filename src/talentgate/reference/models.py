"""Countries, currencies and exchange rates, each row naming the data set it came from."""

from __future__ import annotations

from django.db import models


class Country(models.Model):
    """A UN M49 country or area, keyed by ISO 3166-1 alpha-2."""

    iso_alpha2 = models.CharField(max_length=2, primary_key=True)
    iso_alpha3 = models.CharField(max_length=3, unique=True)
    m49_code = models.CharField(max_length=3, unique=True)
    name_en = models.CharField(max_length=120)
    region = models.CharField(max_length=40, blank=True, db_index=True)
    sub_region = models.CharField(max_length=60, blank=True, db_index=True)
    intermediate_region = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["name_en"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return f"{self.name_en} ({self.iso_alpha2})"


class Currency(models.Model):
    """An ISO 4217 currency."""

    code = models.CharField(max_length=3, primary_key=True)
    numeric = models.CharField(max_length=3, blank=True)
    name = models.CharField(max_length=120)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "currencies"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ExchangeRateTable(models.Model):
    """A named, dated set of rates (e.g. annual averages per USD); conversions name the table they used."""

    name = models.CharField(max_length=80, unique=True)
    base_currency = models.CharField(max_length=3)
    description = models.TextField(blank=True)
    source = models.TextField()
    compiled = models.CharField(max_length=20, help_text="As-of date of the newest source consulted.")

    def __str__(self) -> str:
        return self.name


class ExchangeRate(models.Model):
    """Units of ``currency`` per one unit of the table's base currency, valid over [valid_from, valid_to]."""

    table = models.ForeignKey(ExchangeRateTable, on_delete=models.CASCADE, related_name="rates")
    currency = models.CharField(max_length=3, db_index=True)
    valid_from = models.DateField()
    valid_to = models.DateField()
    units_per_base = models.DecimalField(max_digits=18, decimal_places=6)
    method = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["table", "currency", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["table", "currency", "valid_from"], name="exchange_rate_unique_period"),
            models.CheckConstraint(condition=models.Q(units_per_base__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.units_per_base} ({self.valid_from}..{self.valid_to})"
