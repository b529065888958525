"""The read API at /api/v1/ on the portal (django-ninja): regions, KIMs, posts, siaran and
public aspirations, as JSON, with its OpenAPI description at /api/v1/openapi.json.

Read-only and anonymous: every answer says `Cache-Control: public, max-age=60` and
`Access-Control-Allow-Origin: *`, sets no cookie, and successful lists are kept by the page
cache (kimportal/lib/page_cache.py) until what they show changes. Lists are keyset-paginated: a
page holds at most MAX_LIMIT items and `next` is the address of the following page (an opaque
`cursor`), so every page costs the same few queries at any depth. There is no docs page: it
would load its scripts from a CDN; the description is at /api/v1/openapi.json and /data/.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError

from aspirations.models import ALL_SCOPE as ASPIRATIONS_SCOPE
from aspirations.models import Topic
from kimportal.lib import page_cache
from opendata import schemas, selectors
from posts.models import Post

MAX_LIMIT = 100
DEFAULT_LIMIT = 50
MAX_AGE = 60

PROVINCE = r"^[0-9]{2}$"
REGENCY = r"^[0-9]{2}\.[0-9]{2}$"
DISTRICT = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}$"
OPTIONAL_PROVINCE = r"^([0-9]{2})?$"
OPTIONAL_REGENCY = r"^([0-9]{2}\.[0-9]{2})?$"
POST_KINDS = "^(" + "|".join(["", *Post.Kind.values]) + ")$"
TOPICS = "^(" + "|".join(["", *Topic.values]) + ")$"
MAX_ID = 2**63 - 1

_ERRORS = {400: schemas.Error, 422: schemas.Error}
_ERRORS_404 = {**_ERRORS, 404: schemas.Error}


def _read_only_headers(response: HttpResponse) -> HttpResponse:
    """Anyone may read it from any origin; browsers keep it MAX_AGE seconds (pages keep none,
    see page_cache.public_page: an API client gains more from a minute than a reader does)."""
    response["Access-Control-Allow-Origin"] = "*"
    if response.has_header("Cache-Control"):
        del response["Cache-Control"]  # patch_cache_control would keep the smaller max-age
    patch_cache_control(
        response,
        public=True,
        max_age=MAX_AGE,
        s_maxage=settings.PAGE_SHARED_MAX_AGE,
        stale_while_revalidate=settings.PAGE_STALE_SECONDS,
    )
    return response


def _description_headers(view):
    """The OpenAPI description is public data too."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        page_cache.public_page(response, page_cache.NATIONAL)
        return _read_only_headers(response)

    return wrapper


class ReadApi(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        scopes = getattr(request, "_api_scopes", ())
        if response.status_code == 200 and scopes:
            page_cache.public_page(response, *scopes)
        return _read_only_headers(response)


api = ReadApi(
    title="kim.id API",
    version="1",
    description=(
        "API baca-saja portal KIM se-Indonesia: wilayah, KIM terverifikasi, kabar yang tayang, "
        "siaran, dan aspirasi publik. Tanpa autentikasi. Daftar berhalaman dengan `cursor`: "
        "ikuti alamat `next` sampai bernilai null. Tidak ada nama, email, atau nomor telepon "
        "orang di sini. Lisensi data: CC BY 4.0; lihat /data/."
    ),
    urls_namespace="api",
    docs_url=None,
    docs_decorator=_description_headers,
)


def _public(request: HttpRequest, *scopes: str, declared: Iterable[str] = ()) -> None:
    """The page cache may keep this answer until one of `scopes` changes, unless the request
    carries a query parameter that is not among the endpoint's `declared` arguments: django-ninja
    reads every parameter it is given, so the page cache's own check (kept only if the view read
    each one) cannot tell, and ?x=1, ?x=2, … would each be kept."""
    if set(request.GET) - set(declared):
        return
    request._api_scopes = scopes


def _page(request: HttpRequest, items: list, next_cursor: str) -> dict:
    next_url = None
    if next_cursor:
        params = request.GET.copy()
        params["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {"items": items, "next": next_url}


def _paged(function, request: HttpRequest, **filters) -> dict:
    try:
        items, next_cursor = function(**filters)
    except selectors.InvalidCursor:
        raise HttpError(
            400, "cursor tidak valid: pakai alamat next dari halaman sebelumnya"
        ) from None
    return _page(request, items, next_cursor)


def _aware(value: datetime | None) -> datetime | None:
    """`sejak` in UTC (a time without zone is WIB); a time out of range is the client's error."""
    if value is None:
        return None
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise HttpError(400, "sejak di luar jangkauan") from None


# --- Regions ---------------------------------------------------------------------------------


def _regions(request, level: str, parent: str | None) -> dict:
    rows = selectors.region_children(level, parent)
    if rows is None:
        raise HttpError(404, "wilayah tidak ditemukan")
    _public(request, page_cache.NATIONAL)
    return {"items": rows, "next": None}


@api.get(
    "/provinsi",
    response={200: schemas.RegionList},
    url_name="provinces",
    tags=["wilayah"],
    summary="Semua provinsi",
)
def provinces(request):
    return _regions(request, "province", None)


@api.get(
    "/provinsi/{kode}/kabupaten",
    response={200: schemas.RegionList, **_ERRORS_404},
    url_name="regencies",
    tags=["wilayah"],
    summary="Kabupaten/kota sebuah provinsi",
)
def regencies(request, kode: str = Path(..., pattern=PROVINCE)):
    return _regions(request, "regency", kode)


@api.get(
    "/kabupaten/{kode}/kecamatan",
    response={200: schemas.RegionList, **_ERRORS_404},
    url_name="districts",
    tags=["wilayah"],
    summary="Kecamatan sebuah kabupaten/kota",
)
def districts(request, kode: str = Path(..., pattern=REGENCY)):
    return _regions(request, "district", kode)


@api.get(
    "/kecamatan/{kode}/desa",
    response={200: schemas.RegionList, **_ERRORS_404},
    url_name="villages",
    tags=["wilayah"],
    summary="Desa/kelurahan sebuah kecamatan",
)
def villages(request, kode: str = Path(..., pattern=DISTRICT)):
    return _regions(request, "village", kode)


# --- KIMs, posts, siaran, aspirations --------------------------------------------------------

_Cursor = Query("", max_length=400, description="Dari alamat `next` halaman sebelumnya.")
_Since = Query(None, description="Hanya yang tayang sejak waktu ini (ISO 8601; tanpa zona: WIB).")
_Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Jumlah per halaman.")


@api.get(
    "/kim",
    response={200: schemas.KimPage, **_ERRORS},
    url_name="kims",
    tags=["kim"],
    summary="KIM terverifikasi, urut nama",
)
def kims(
    request,
    provinsi: str = Query("", pattern=OPTIONAL_PROVINCE, description="Kode provinsi."),
    kabupaten: str = Query("", pattern=OPTIONAL_REGENCY, description="Kode kabupaten/kota."),
    q: str = Query("", max_length=100, description="Kata dalam nama KIM atau desanya."),
    cursor: str = _Cursor,
    limit: int = _Limit,
):
    _public(request, page_cache.NATIONAL, declared=locals())
    return _paged(
        selectors.api_kims,
        request,
        province=provinsi,
        regency=kabupaten,
        query=q.replace("\x00", "").strip(),
        cursor=cursor,
        limit=limit,
    )


@api.get(
    "/kabar",
    response={200: schemas.PostPage, **_ERRORS},
    url_name="posts",
    tags=["kabar"],
    summary="Kabar yang tayang, terbaru dulu",
)
def posts(
    request,
    kim: int | None = Query(None, ge=1, le=MAX_ID, description="`id` sebuah KIM."),
    jenis: str = Query("", pattern=POST_KINDS, description="Jenis kabar."),
    provinsi: str = Query("", pattern=OPTIONAL_PROVINCE),
    kabupaten: str = Query("", pattern=OPTIONAL_REGENCY),
    sejak: datetime | None = _Since,
    cursor: str = _Cursor,
    limit: int = _Limit,
):
    _public(request, page_cache.NATIONAL, declared=locals())
    return _paged(
        selectors.api_posts,
        request,
        community_id=kim,
        kind=jenis,
        province=provinsi,
        regency=kabupaten,
        since=_aware(sejak),
        cursor=cursor,
        limit=limit,
    )


@api.get(
    "/siaran",
    response={200: schemas.SiaranPage, **_ERRORS},
    url_name="siaran",
    tags=["siaran"],
    summary="Siaran Diskominfo yang terbit, terbaru dulu",
)
def siaran(
    request,
    cakupan: str = Query(
        "berlaku",
        pattern="^(berlaku|semua)$",
        description="berlaku: yang masih berlaku sekarang; semua: juga yang sudah lewat.",
    ),
    cursor: str = _Cursor,
    limit: int = _Limit,
):
    _public(request, page_cache.NATIONAL, declared=locals())
    return _paged(
        selectors.api_siaran,
        request,
        current_only=cakupan == "berlaku",
        cursor=cursor,
        limit=limit,
    )


@api.get(
    "/aspirasi",
    response={200: schemas.AspirasiPage, **_ERRORS},
    url_name="aspirations",
    tags=["aspirasi"],
    summary="Aspirasi publik, terbaru dulu",
)
def aspirations(
    request,
    kim: int | None = Query(None, ge=1, le=MAX_ID, description="`id` KIM tujuan."),
    topik: str = Query("", pattern=TOPICS),
    provinsi: str = Query("", pattern=OPTIONAL_PROVINCE),
    kabupaten: str = Query("", pattern=OPTIONAL_REGENCY),
    cursor: str = _Cursor,
    limit: int = _Limit,
):
    _public(request, ASPIRATIONS_SCOPE, declared=locals())
    return _paged(
        selectors.api_aspirations,
        request,
        community_id=kim,
        topic=topik,
        province=provinsi,
        regency=kabupaten,
        cursor=cursor,
        limit=limit,
    )
