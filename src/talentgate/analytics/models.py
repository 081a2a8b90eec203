"""Analytics' own tables: the summary counts the dashboard reads, rebuilt whole by each refresh.

Every figure of the dashboard is a sum over :class:`SummaryCount` rows of the latest finished
:class:`SummaryRefresh`. A row counts one *measure* (an application entering a status, an arrival, a
stay of a given length...) in one calendar month, for one combination of the filter dimensions.
The rows come in *grains*, one per set of dimensions kept (a bit mask: sector, country, host), so a
figure with no filter sums the few rows of the dimensionless grain rather than the rows kept per
country, sector and host. ``summaries.py`` reads them; ``refresh.py`` writes them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SummaryRefresh(models.Model):
    """One rebuild of the summaries: when it read the domain tables, and when it finished (``None``: running)."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("summary rows"), default=0)
    seconds = models.FloatField(_("duration, seconds"), default=0.0)

    class Meta:
        verbose_name = _("analytics summary refresh")
        verbose_name_plural = _("analytics summary refreshes")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"summary refresh {self.pk} ({self.started_at:%Y-%m-%d %H:%M})"


class SummaryCount(models.Model):
    """``n`` occurrences of ``measure`` (with ``key``: the status or stage) in ``month``, for one dimension combination.

    ``grain`` says which of ``sector``/``country``/``host`` are kept (bits 1, 2, 4); a dimension not kept
    is ``None``. ``prev_month`` (entries only) is the month the same record last entered the same
    status, so a period counts each record once (its first entry in the period). ``bucket`` (stays only)
    is the stay's length in tenths of a day; ``day`` (arrivals only) the day of the month.
    """

    refresh = models.ForeignKey(SummaryRefresh, on_delete=models.CASCADE, related_name="counts")
    grain = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=24)
    key = models.CharField(max_length=40, blank=True)
    month = models.DateField()
    prev_month = models.DateField(null=True, blank=True)
    bucket = models.IntegerField(null=True, blank=True)
    day = models.PositiveSmallIntegerField(null=True, blank=True)
    # None: the grain does not keep this dimension; "": the record has none (not the same thing).
    sector = models.CharField(max_length=60, null=True, blank=True)  # noqa: DJ001
    country = models.CharField(max_length=2, null=True, blank=True)  # noqa: DJ001
    host = models.BigIntegerField(null=True, blank=True)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["refresh", "grain", "measure", "month"], name="analytics_summary_lookup")]

    def __str__(self) -> str:
        return f"{self.measure}[{self.key}] {self.month:%Y-%m} grain {self.grain}: {self.n}"
