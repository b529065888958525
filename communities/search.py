"""Finding live KIMs by their name or their village's name, forgiving typos.

On PostgreSQL each word of the query must match one of the two names, by trigram word similarity
or substring, each served by a
GIN trigram index on kim_unaccent(name) (communities' and regions' 0002_search migrations): the
KIM's own name directly, the village through the codes of the villages whose names match, as
`village_id = ANY(ARRAY(…))`, which PostgreSQL combines with the name's index in one BitmapOr.
SQLite (`make run`) falls back to `icontains`.
"""

from django.db import connection
from django.db.models import Q, QuerySet, Subquery

from communities.models import Community
from kimportal.lib.search import WORD_RE, AnyOf, is_postgresql, name_matches, name_similarity
from regions.models import Village

# A short or vague query ("kim", "sa") matches thousands of names. Matching stays indexed, but
# ordering by similarity is bounded: at most this many villages are taken (the closest ones) and
# at most KIM_CANDIDATES matching KIMs are scored for the search page.
VILLAGE_CANDIDATES = 500
KIM_CANDIDATES = 300
# Words of a query matched (each one index-served); the rest are ignored.
MAX_WORDS = 4


def _matching_villages(query: str, *, fuzzy: bool) -> QuerySet[Village]:
    return (
        Village.objects.filter(name_matches("name", query, short_names=fuzzy))
        .order_by(name_similarity(query, "name").desc(), "code")
        .values("code")[:VILLAGE_CANDIDATES]
    )


def name_or_village_filter(query: str, *, fuzzy: bool = False) -> Q:
    """KIMs where each word of the query (nearly) appears in the KIM's name or its village's:
    "ketabang maju" finds KIM Ketabang Maju, not every KIM of Kelurahan Ketabang.

    `fuzzy` also takes villages whose whole name is merely similar to a word ("Balyaan" for
    "Balayan"); the index serves that too, but it reads many more entries (about 40 ms rather
    than 2 on 83,000 villages), so search asks for it only when the plain match found nothing."""
    if not is_postgresql(connection):
        return Q(name__icontains=query) | Q(village__name__icontains=query)
    words = WORD_RE.findall(query)[:MAX_WORDS]
    if not words:
        return Q(pk__in=[])
    each_word = Q()
    for word in words:
        village = AnyOf("village_id", Subquery(_matching_villages(word, fuzzy=fuzzy)))
        each_word &= name_matches("name", word) | Q(village)
    if len(words) == 1:
        return each_word
    # The whole query against the KIM's name too: a typo in one word of a longer name ("maju
    # bersma") falls under the threshold alone but not within the phrase.
    return each_word | name_matches("name", query)


def community_search(
    *, query: str, province_code: str = "", regency_code: str = "", limit: int = 6
) -> list[Community]:
    """The live KIMs that best match `query` by name or village, closest first.

    Only the first KIM_CANDIDATES matches (in index order) are scored, so a query that matches
    every KIM costs no more than one that matches a few hundred. When a one-word query matches
    nothing, a second, fuzzier query looks at villages with similar names (see
    name_or_village_filter)."""
    rows = _community_search(query, province_code, regency_code, limit, fuzzy=False)
    # One word only: a misspelt village is one word, and each word costs a fuzzy village scan.
    if not rows and is_postgresql(connection) and len(WORD_RE.findall(query)) == 1:
        rows = _community_search(query, province_code, regency_code, limit, fuzzy=True)
    return rows


def _community_search(
    query: str, province_code: str, regency_code: str, limit: int, *, fuzzy: bool
) -> list[Community]:
    queryset = Community.objects.live().filter(name_or_village_filter(query, fuzzy=fuzzy))
    if province_code:
        queryset = queryset.filter(province_id=province_code)
    if regency_code:
        queryset = queryset.filter(regency_id=regency_code)
    if not is_postgresql(connection):
        rows = queryset.select_related("village", "regency", "province").order_by("name", "pk")
        return list(rows[:limit])
    candidates = queryset.order_by().values("pk")[:KIM_CANDIDATES]
    rows = (
        Community.objects.filter(pk__in=Subquery(candidates))
        .select_related("village", "regency", "province")
        .annotate(score=name_similarity(query, "name", "village__name"))
        .order_by("-score", "name", "pk")
    )
    return list(rows[:limit])
