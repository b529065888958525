"""Finding live KIMs by their name or their village's name, forgiving typos.

On PostgreSQL each word of the query must match one of the two names, by trigram word similarity
or substring. Both names are stored on the KIM's row already folded (`search_name`,
`search_village`, written by a trigger of communities' 0004 migration), each with a GIN trigram
index over the live KIMs, so every branch of the match is one index scan that PostgreSQL combines
in a BitmapOr. SQLite (`make run`) falls back to `icontains`.
"""

from django.db import connection
from django.db.models import Q, Subquery

from communities.models import Community
from kimportal.lib.search import WORD_RE, is_postgresql, name_matches, name_similarity

# A short or vague query ("kim", "sa") matches thousands of names. Matching stays indexed, but
# ordering by similarity is bounded: at most KIM_CANDIDATES matching KIMs are scored.
KIM_CANDIDATES = 300
# Words of a query matched (each one index-served); the rest are ignored.
MAX_WORDS = 4


def name_or_village_filter(query: str, *, fuzzy: bool = False) -> Q:
    """KIMs where each word of the query (nearly) appears in the KIM's name or its village's:
    "ketabang maju" finds KIM Ketabang Maju, not every KIM of Kelurahan Ketabang.

    `fuzzy` also takes KIMs whose village's whole name is merely similar to a word ("Balyaan"
    for "Balayan"); the index serves that too, but it reads more entries, so search asks for it
    only when the plain match found nothing."""
    if not is_postgresql(connection):
        return Q(name__icontains=query) | Q(village__name__icontains=query)
    words = WORD_RE.findall(query)[:MAX_WORDS]
    if not words:
        return Q(pk__in=[])
    each_word = Q()
    for word in words:
        each_word &= name_matches("search_name", word) | name_matches(
            "search_village", word, short_names=fuzzy
        )
    if len(words) == 1:
        return each_word
    # The whole query against the KIM's name too: a typo in one word of a longer name ("maju
    # bersma") falls under the threshold alone but not within the phrase.
    return each_word | name_matches("search_name", query)


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
        .annotate(score=name_similarity(query, "search_name", "search_village"))
        .order_by("-score", "name", "pk")
    )
    return list(rows[:limit])
