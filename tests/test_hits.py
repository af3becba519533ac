"""The hits stage: how a hit says it matched through the other language."""

from search import name_keys
from search.present.hits import _form


def test_a_name_matched_by_its_key_shows_the_documents_spelling_never_the_key():
    key = name_keys("Skripal")[0]
    entry = {"from": "Skripal", "to": key, "terms": (key,), "via": "name"}
    # Neither the title nor the snippet marks the name: the text is read for it.
    assert _form(entry, ["Британия"], "Британия выслала 23 дипломата. Отравлен Сергей Скрипаль.") == "Скрипаль"
    assert _form(entry, [], "Текст без этого имени.") == "Skripal"  # the word typed, not 'skrVpVl|...'
    assert "|" not in _form(entry, [], "")
