from search.present.highlight import find_matches, highlight
from search.present.snippets import snippet


def test_every_inflected_form_is_marked():
    html = highlight("Переговоров не было, но переговоры будут", {"переговоры"})
    assert html.count("<mark>") == 2 and "<mark>Переговоров</mark>" in html


def test_text_around_marks_is_escaped():
    html = snippet('<script>alert(1)</script> Lavrov met Makei. <img src=x onerror="boom">', {"lavrov"})
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "<mark>Lavrov</mark>" in html


def test_snippet_picks_the_passage_with_most_query_words():
    text = ("Первое предложение про погоду. Второе про НАТО. Лавров и Макей обсудили отношения с НАТО. "
            "Четвертое предложение о спорте.")
    html = snippet(text, {"лавров", "макей", "нато"})
    assert html.startswith("<mark>Лавров</mark> и <mark>Макей</mark>")


def test_long_passages_are_cut_around_the_match():
    text = "слово " * 200 + "Столтенберг заявил " + "слово " * 200
    html = snippet(text, {"столтенберг"}, max_chars=100)
    assert "<mark>Столтенберг</mark>" in html and html.startswith("…") and html.endswith("…")
    assert len(html) < 160


def test_no_match_gives_the_start_of_the_text():
    assert snippet("Just some text here.", {"zzz"}) == "Just some text here."


def test_prefix_matches_and_hyphen_parts():
    assert [m[2] for m in find_matches("переговоры", set(), {"перегов"})] == ["перегов"]
    matches = find_matches("по линии Беларусь-НАТО", {"нато"})
    assert [(m[0], m[1]) for m in matches] == [(18, 22)]


def test_forms_outside_the_lemmas_spelling_are_still_found():
    # «люди» is a form of the lemma «человек»: the cheap prefilter must not drop it.
    assert [m[2] for m in find_matches("Люди и человек", {"человек"})] == ["человек", "человек"]
    assert [m[2] for m in find_matches("NATO’s allies and NATO", {"nato"})] == ["nato", "nato"]


def test_matches_line_up_with_the_tokenizer_around_hyphens():
    text = "(-НАТО) и НАТО- союз; Беларусь-НАТО; прото-НАТО"
    assert [text[s:e] for s, e, _ in find_matches(text, {"нато"})] == ["НАТО", "НАТО", "НАТО", "НАТО"]
