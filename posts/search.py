"""Searching public posts: the portal's /cari/ (every KIM) and a subsite's /cari/ (one KIM).

How the work stays bounded (PostgreSQL). Ranking every match of a common word ("desa", "kegiatan")
would read the search vector of hundreds of thousands of posts on each request. Instead a search
first matches only the PROBE newest posts (read through the public lists' published_at index)
and ranks those matches by ts_rank (title > summary and tags > body and claim > KIM and village
names); if they hold CANDIDATES matches, that is the result: the best of the recent matches.
Otherwise the words are rare, and the GIN index on `search_vector` finds all their matches, of
which the CANDIDATES newest are ranked. Results are paged through that ranked list: a rare word
has all its matches ranked, a common one the best recent ones, and the page says so and invites a
narrower search. The count is that of the candidates, so it never costs a COUNT(*) over the
table, and pages stop at the last candidate (no deep OFFSET).

Measured on 10,000 KIMs and a million seeded posts, vacuumed (2 cores): the probe costs
1.4-3.3 ms (it reads the posts without joining their KIMs: Post.objects.public_unjoined); the
index path grows with the matches it reads, so the slowest queries are words matching 0.5-4 %
of posts but too few of the newest ones ("batik tulis", 8,700 matches: 11 ms). 120
candidates (ten pages) rather than more: nobody reads past page ten of a search, and a narrower
query is the better answer. The vectors are stored in the row (STORAGE MAIN, see
posts/migrations/0004_search.py), so checking one costs one page, not five.

Only `Post.objects.public()` rows are ever candidates, and the rows of the page shown are read
through `public()` again. SQLite (`make run`) falls back to `icontains` on the texts, newest first.
"""

import datetime
import logging
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import F, Prefetch, Q, QuerySet, Subquery, Value
from django.utils import timezone

from communities.models import Community
from kimportal.lib.search import Unaccent, excerpt, has_term, highlight, is_postgresql, query_terms
from posts import public_selectors
from posts.models import Image, Post

PAGE_SIZE = 12
log = logging.getLogger(__name__)

CANDIDATES = 120  # ten pages
PROBE = 2400  # newest posts a query is first matched against (see _probe_newest)
# The index path's bound: a query no post can match ("desa -desa") makes PostgreSQL walk every
# public post newest first looking for one (1.3 s at a million posts in memory, 17 s from
# disk); past this, the search answers with what the probe found. The slowest real queries
# take about 0.1 s.
INDEX_PATH_TIMEOUT_MS = 500
_QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement_timeout


@dataclass(frozen=True)
class PostFilters:
    kind: str = ""
    province_code: str = ""
    regency_code: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _filtered(queryset: QuerySet[Post], filters: PostFilters) -> QuerySet[Post]:
    if filters.kind in Post.Kind.values:
        queryset = queryset.filter(kind=filters.kind)
    if filters.province_code:
        queryset = queryset.filter(province_id=filters.province_code)
    if filters.regency_code:
        queryset = queryset.filter(regency_id=filters.regency_code)
    # Bounds on the column itself (not on its date in some time zone), so indexes apply.
    if filters.date_from:
        queryset = queryset.filter(published_at__gte=_start_of(filters.date_from))
    if filters.date_to:
        next_day = filters.date_to + datetime.timedelta(days=1)
        queryset = queryset.filter(published_at__lt=_start_of(next_day))
    return queryset


def tsquery(query: str) -> SearchQuery:
    """The query as websearch_to_tsquery reads it ("a b", "a or b", "-a", "\"a b\"")."""
    return SearchQuery(Unaccent(Value(query)), config="simple", search_type="websearch")


def ranked_ids(
    *, query: str, community: Community | None = None, filters: PostFilters = PostFilters()
) -> list[int]:
    """Ids of the public posts matching `query`, best first: at most CANDIDATES (see above)."""
    postgresql = is_postgresql(connection)
    # Unjoined where the ranking reads thousands of rows (PostgreSQL); the SQLite fallback filters
    # on the KIM's name anyway.
    public = Post.objects.public_unjoined() if postgresql else Post.objects.public()
    queryset = _filtered(public, filters)
    if community is not None:
        queryset = queryset.for_community(community)
    newest_first = ("-published_at", "-pk")
    if not postgresql:
        texts = Q()
        for field in ("title", "summary", "body", "claim", "community__name"):
            texts |= Q(**{f"{field}__icontains": query})
        queryset = queryset.filter(texts | Q(community__village__name__icontains=query))
        return list(queryset.order_by(*newest_first).values_list("pk", flat=True)[:CANDIDATES])
    probed = _probe_newest(queryset, query)
    if len(probed) >= CANDIDATES:
        return probed
    search = tsquery(query)
    candidates = (
        queryset.filter(search_vector=search).order_by(*newest_first).values("pk")[:CANDIDATES]
    )
    ranked = (
        Post.objects.filter(pk__in=Subquery(candidates))
        .annotate(rank=SearchRank(F("search_vector"), search))
        .order_by("-rank", *newest_first)
    )
    found = within_timeout(lambda: list(ranked.values_list("pk", flat=True)))
    if found is None:
        log.warning(
            "search: the index path took over %d ms; answered from the probe", INDEX_PATH_TIMEOUT_MS
        )
        return probed
    return found


def within_timeout(run, *, ms: int | None = None):
    """`run()` with a statement_timeout of `ms` (INDEX_PATH_TIMEOUT_MS) on its queries, or None
    when PostgreSQL cancelled one for taking longer. Requests run without a transaction, so the
    bound ends with this one; inside an outer transaction (a test's) it is a savepoint, which
    survives the cancellation, and the SET LOCAL then lasts until that transaction ends."""
    ms = INDEX_PATH_TIMEOUT_MS if ms is None else ms
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {int(ms)}")
            return run()
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != _QUERY_CANCELED:
            raise
        return None


def _probe_newest(queryset: QuerySet[Post], query: str) -> list[int]:
    """The best-ranked CANDIDATES matches among the PROBE newest posts of `queryset`.

    The newest posts are read through the published_at index and only then matched: a derived
    table with a LIMIT is never flattened, so PostgreSQL cannot swap the order even when it
    misjudges how common the words are (it multiplies the words' frequencies, and words that go
    together, "kerja bakti", are far more common together than that: a bitmap scan of every
    match then read 62,000 pages, 0.5 s). A common query is answered here at a bounded cost;
    fewer matches than CANDIDATES mean the words are rare, and the GIN index serves them."""
    newest = queryset.order_by("-published_at", "-pk").values(
        ident=F("pk"), moment=F("published_at"), vector=F("search_vector")
    )[:PROBE]
    newest_sql, newest_params = newest.query.sql_with_params()
    words = "websearch_to_tsquery('simple', kim_unaccent(%s))"
    # The inner SQL is Django's; the query's text goes in as parameters.
    sql = (
        f"SELECT newest.ident FROM ({newest_sql}) AS newest WHERE newest.vector @@ {words} "  # noqa: S608
        f"ORDER BY ts_rank(newest.vector, {words}) DESC, newest.moment DESC, newest.ident DESC "
        "LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*newest_params, query, query, CANDIDATES))
        return [row[0] for row in cursor.fetchall()]


def _result_rows(ids: list[int], community: Community | None) -> list[Post]:
    """The posts of `ids`, in that order, with what a result shows (KIM, village, card photo)."""
    queryset = Post.objects.public().filter(pk__in=ids)
    if community is not None:
        queryset = queryset.for_community(community)
    first_photo = (
        Image.objects.filter(status=Image.Status.READY)
        .only(*public_selectors.IMAGE_FIELDS)
        .order_by("sort_order", "pk")
    )
    rows = (
        queryset.defer("search_vector", "body_html")  # large, and a result shows neither
        .select_related("community__village", "cover")
        .prefetch_related(
            Prefetch("images", queryset=first_photo[:1], to_attr="first_ready_images")
        )
    )
    by_pk = {post.pk: post for post in rows}
    return public_selectors.with_card_images(by_pk[pk] for pk in ids if pk in by_pk)


def decorate(post: Post, terms: frozenset[str]) -> Post:
    """Set the highlighted title and snippet a result shows (`hl_title`, `hl_snippet`)."""
    post.hl_title = highlight(post.title, terms)
    for text in (post.summary, post.body, post.claim):
        if text and has_term(text, terms):
            post.hl_snippet = excerpt(text, terms)
            break
    else:
        post.hl_snippet = excerpt(post.summary or post.body or post.claim, terms)
    return post


@dataclass
class SearchResult:
    page: Page
    capped: bool  # the candidates ran out: there may be more matches than `count`

    @property
    def count(self) -> int:
        return self.page.paginator.count


def post_search(
    *,
    query: str,
    community: Community | None = None,
    filters: PostFilters = PostFilters(),
    page_number: str | int | None = None,
) -> SearchResult:
    """One page of results: a constant number of queries (ranked ids, the page's rows, their
    photos) whatever the data."""
    ids = ranked_ids(query=query, community=community, filters=filters)
    page = Paginator(ids, PAGE_SIZE).get_page(page_number)
    terms = query_terms(query)
    page.object_list = [
        decorate(post, terms) for post in _result_rows(list(page.object_list), community)
    ]
    return SearchResult(page=page, capped=len(ids) >= CANDIDATES)
