"""Open data on the portal: /data/ describes each data set, and its files download from there.

The KIM directory streams (StreamingHttpResponse over keyset batches: constant memory at
83,000 KIMs); the statistics per region are small, rendered whole and kept by the page cache.
"""

import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from kimportal.lib import csv_cells, page_cache
from opendata import selectors
from opendata.columns import DATASETS, KIM, STATS_PROVINCE, STATS_REGENCY, Dataset
from stats.models import PAGE_SCOPE as STATS_SCOPE

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.id"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def index(request):
    response = render(
        request,
        "opendata/index.html",
        {"datasets": DATASETS.values(), "licence": LICENCE, "licence_url": LICENCE_URL},
    )
    return page_cache.public_page(response, page_cache.NATIONAL)


# --- Writing rows -----------------------------------------------------------------------------


def _csv_cell(value):
    return ";".join(value) if isinstance(value, list) else value


def csv_lines(dataset: Dataset, batches: Iterable[list[dict]]) -> Iterator[str]:
    # Names and places are typed by the public: csv_cells keeps a spreadsheet from running one
    # as a formula.
    rows = ([_csv_cell(row[name]) for name in dataset.names] for batch in batches for row in batch)
    return csv_cells.csv_lines(dataset.names, rows)


def json_chunks(dataset: Dataset, batches: Iterable[list[dict]]) -> Iterator[str]:
    """One JSON object: the data set's name, licence, date and columns, then `data`, a list of
    rows written batch by batch."""
    head = {
        "dataset": dataset.slug,
        "lisensi": LICENCE,
        "dibuat": timezone.localdate().isoformat(),
        "kolom": dataset.names,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "data": ['
    first = True
    for batch in batches:
        for row in batch:
            item = {name: row[name] for name in dataset.names}
            yield ("" if first else ",\n") + json.dumps(
                item, ensure_ascii=False, cls=DjangoJSONEncoder
            )
            first = False
    yield "]}\n"


def _filename(dataset: Dataset, extension: str) -> str:
    return f"{dataset.slug}-{timezone.localdate().isoformat()}.{extension}"


def _headers(response: HttpResponse, dataset: Dataset, extension: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{_filename(dataset, extension)}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _chunks(dataset: Dataset, extension: str, batches: Iterable[list[dict]]) -> Iterator[str]:
    return (csv_lines if extension == "csv" else json_chunks)(dataset, batches)


# --- Downloads --------------------------------------------------------------------------------


def kim_download(request, extension: str):
    response = StreamingHttpResponse(
        _chunks(KIM, extension, selectors.kim_directory_batches()),
        content_type=CONTENT_TYPES[extension],
    )
    # Shared caches (nginx, a CDN) keep it; the page cache never stores a stream.
    return _headers(page_cache.public_page(response, page_cache.NATIONAL), KIM, extension)


def stats_download(request, level: str, extension: str):
    dataset = STATS_PROVINCE if level == "provinsi" else STATS_REGENCY
    rows = selectors.region_stats("province" if level == "provinsi" else "regency")
    response = HttpResponse(
        "".join(_chunks(dataset, extension, [rows])), content_type=CONTENT_TYPES[extension]
    )
    # The figures change when the summaries are refreshed (stats.models.PAGE_SCOPE).
    return _headers(page_cache.public_page(response, STATS_SCOPE), dataset, extension)
