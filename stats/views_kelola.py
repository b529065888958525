"""The staff dashboards on kelola: statistik/ (one area's figures and its KIMs) and its CSV.

Each view resolves the area from ?wilayah= through stats.dashboards.area_for_user (404 outside
the user's staff scopes, as for a missing region), reads the dashboards' selectors and renders.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from stats import dashboards
from stats.forms import DashboardFilterForm

# The table's columns: (label, ?urut= key or None when the column does not sort).
TABLE_COLUMNS = (
    (_("KIM"), "nama"),
    (_("Kabupaten/kota"), None),
    (pgettext_lazy("jumlah", "Anggota"), "anggota"),
    (_("Kabar terakhir"), "kabar_terakhir"),
    (_("Masuk terakhir"), "masuk_terakhir"),
    (_("Kabar 90 hari"), "kabar_90"),
    (_("Siaran diteruskan"), "terusan"),
    (_("Aspirasi ditanggapi"), "aspirasi"),
)


def _resolve(request: HttpRequest):
    """(area, its options, the table's filters) from the query string; 404 for a ?wilayah=
    outside the user's scopes. The part filter only narrows the area: a value that is not one of
    its parts (left over from the area picked before) is ignored."""
    area = dashboards.area_for_user(request.user, request.GET.get("wilayah", "").strip())
    options = dashboards.area_options(request.user, area)
    part = request.GET.get(options.part_param, "").strip() if options.part_param else ""
    if part not in {code for code, _name in options.parts}:
        part = ""
    filters = {
        "part": part,
        "dormant_only": request.GET.get("dorman", "") in ("on", "1"),
        "sort": dashboards.parse_sort(request.GET.get("urut", "")),
    }
    return area, options, filters


def _headers(sort: str) -> list[dict]:
    current, descending = sort.lstrip("-"), sort.startswith("-")
    headers = []
    for label, key in TABLE_COLUMNS:
        header = {"label": label, "key": key, "aria_sort": None, "next": None}
        if key is not None:
            if key == current:
                header["aria_sort"] = "descending" if descending else "ascending"
                header["next"] = key if descending else f"-{key}"
            else:  # names A–Z first, figures largest first
                header["next"] = key if key == dashboards.DEFAULT_SORT else f"-{key}"
        headers.append(header)
    return headers


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    area, options, filters = _resolve(request)
    rows = dashboards.activity_rows(area, **filters)
    page = dashboards.CappedPaginator(rows, dashboards.PAGE_SIZE).get_page(request.GET.get("page"))
    initial = {
        "wilayah": area.key,
        "dorman": filters["dormant_only"],
        "urut": filters["sort"] if filters["sort"] != dashboards.DEFAULT_SORT else "",
    }
    if options.part_param:
        initial[options.part_param] = filters["part"]
    form = DashboardFilterForm(options=options, initial=initial)
    return render(
        request,
        "stats/kelola/dashboard.html",
        {
            "area": area,
            "figures": dashboards.region_figures(area),
            "months": dashboards.region_months(area),
            "queues": dashboards.queue_figures(area),
            "form": form,
            "page": page,
            "headers": _headers(filters["sort"]),
            "filtered": bool(filters["part"] or filters["dormant_only"]),
            "dormant_days": dashboards.DORMANT_DAYS,
        },
    )


@login_required
@require_GET
def download(request: HttpRequest) -> StreamingHttpResponse:
    area, _options, filters = _resolve(request)
    rows = dashboards.activity_rows(area, **filters)
    response = StreamingHttpResponse(
        dashboards.activity_csv(rows), content_type="text/csv; charset=utf-8"
    )
    name = f"statistik-kim-{area.key}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
