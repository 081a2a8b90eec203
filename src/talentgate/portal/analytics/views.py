"""The analytics dashboard: for analysts, supervisors and administrators (everyone else gets 403).

Every figure comes from ``analytics.selectors`` (which checks the role); the page shows each table
with a chart beside it, drawn by our own static script from the same rows passed as JSON
(``json_script``), so the page works under a CSP without inline script or style. A malformed filter
is shown next to its field with status 400 and no figures.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from talentgate.analytics import selectors, services
from talentgate.portal.analytics.forms import DashboardFilterForm
from talentgate.portal.refusals import signed_in


def _form(request: HttpRequest) -> DashboardFilterForm:
    return DashboardFilterForm(request.GET, choices=selectors.filter_choices_for(request.user))


def _invalid(request: HttpRequest, form: DashboardFilterForm) -> HttpResponse:
    return render(request, "portal/analytics/dashboard.html", {"form": form, "dashboard": None}, status=400)


def _download(content: bytes, media_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@signed_in
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every figure for the filters, as tables with charts, and links to the exports."""
    form = _form(request)
    if not form.is_valid() or form.filters is None:
        return _invalid(request, form)
    board = selectors.dashboard_for(request.user, form.filters)
    context = {
        "form": form,
        "dashboard": board,
        "charts": board.charts(),
        "query": request.GET.urlencode(),
    }
    return render(request, "portal/analytics/dashboard.html", context)


@require_GET
@signed_in
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The whole dashboard as one CSV (a line per figure), an XLSX workbook or a PDF report."""
    form = _form(request)
    if not form.is_valid() or form.filters is None:
        return _invalid(request, form)
    if fmt not in services.FORMATS:
        return HttpResponse(status=404)
    content, media_type, extension = services.export_dashboard(request.user, form.filters, fmt)
    return _download(content, media_type, f"analytics-{form.filters.period_label}.{extension}")


@require_GET
@signed_in
def table_csv(request: HttpRequest, key: str) -> HttpResponse:
    """One dashboard table as CSV (its header and rows, as on the page)."""
    form = _form(request)
    if not form.is_valid() or form.filters is None:
        return _invalid(request, form)
    board = selectors.dashboard_for(request.user, form.filters)
    if key not in {table.key for table in board.tables}:
        return HttpResponse(status=404)
    return _download(services.table_csv(board, key), "text/csv; charset=utf-8", f"{key}.csv")


@require_GET
@signed_in
def case_rows(request: HttpRequest) -> HttpResponse:
    """One line per case (no names), leaving out people who withdrew their consent to analytics."""
    form = _form(request)
    if not form.is_valid() or form.filters is None:
        return _invalid(request, form)
    content = services.export_case_rows(request.user, form.filters)
    return _download(content, "text/csv; charset=utf-8", f"cases-{form.filters.period_label}.csv")
