"""Highlighting and query words (pure Python: no database)."""

from kimportal.lib.search import excerpt, fold, highlight, like_pattern, query_terms


def test_fold_drops_accents_and_case():
    assert fold("Désa KÉTABANG") == "desa ketabang"


def test_query_terms_skip_excluded_words_and_operators():
    assert query_terms('Kerja "Bakti" or -hoaks café') == {"kerja", "bakti", "cafe"}
    assert query_terms("!!! ???") == frozenset()


def test_highlight_marks_whole_words_accent_insensitively():
    html = highlight("Kopi Café di kafe; cafeteria", {"cafe", "kopi"})
    assert html == "<mark>Kopi</mark> <mark>Café</mark> di kafe; cafeteria"


def test_highlight_escapes_everything_else():
    text = '<script>alert("x")</script> & <b>hoaks</b>'
    html = highlight(text, {"hoaks", "script"})
    assert "<script>" not in html and "<b>" not in html
    assert html == (
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; "
        "&lt;b&gt;<mark>hoaks</mark>&lt;/b&gt;"
    )
    # A term that looks like markup is only ever text.
    assert highlight("a <mark> b", {"mark"}) == "a &lt;<mark>mark</mark>&gt; b"


def test_excerpt_is_cut_around_the_first_match():
    words = [f"kata{i}" for i in range(100)]
    words[50] = "saluran"
    html = excerpt(" ".join(words), {"saluran"}, words=10, before=3)
    assert (
        html
        == "… kata47 kata48 kata49 <mark>saluran</mark> kata51 kata52 kata53 kata54 kata55 kata56 …"
    )
    assert excerpt("pendek saja", {"x"}) == "pendek saja"


def test_like_pattern_takes_wildcards_literally():
    assert like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"
