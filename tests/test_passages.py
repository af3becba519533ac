import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from search import Document, Index
from search.analysis.analyzer import iter_words, term_positions
from search.analysis.passages import SCAN_CHARS, PassageTable, is_hard_wrapped, split_passages
from search.present.snippets import snippet_at

REUTERS = ("OPEC believes world oil prices should be set around a fixed\n"
           "average price of 18 dlrs a barrel, Saudi Oil Minister Hisham\n"
           "Nazer said in a newspaper interview published today.\n"
           "    He told the paper that the group would defend the price\n"
           "and that OPEC had no plans to raise output.\n")


def _passages(text):
    return [text[start:end] for start, end in split_passages(text)]


def test_hard_wrapped_lines_are_joined_into_sentences_and_indented_lines_start_paragraphs():
    assert is_hard_wrapped(REUTERS)
    assert _passages(REUTERS) == [
        "OPEC believes world oil prices should be set around a fixed\naverage price of 18 dlrs a barrel, Saudi Oil "
        "Minister Hisham\nNazer said in a newspaper interview published today.",
        "He told the paper that the group would defend the price\nand that OPEC had no plans to raise output.",
    ]


def test_each_line_of_a_text_written_in_paragraphs_is_a_passage():
    text = ("«Минюст США выкатил людоедский дедлайн до понедельника» — написала она\nhttps://t.co/4Cj3mpVGyl\n"
            "— Маргарита Симоньян (@M_Simonyan)\n\nОна добавила, что выбора нет. Т. е. так и будет. В. Путин молчит.")
    assert not is_hard_wrapped(text)
    assert _passages(text) == [
        "«Минюст США выкатил людоедский дедлайн до понедельника» — написала она", "https://t.co/4Cj3mpVGyl",
        "— Маргарита Симоньян (@M_Simonyan)", "Она добавила, что выбора нет.", "Т. е. так и будет.",
        "В. Путин молчит."]


def test_the_table_survives_storage_and_places_word_positions_in_their_passages():
    table = PassageTable.of("Nothing here. Lavrov met Makei in Minsk.\n\nMore text.")
    again = PassageTable.from_bytes(table.to_bytes())
    assert again.spans() == table.spans() == [(0, 13), (14, 40), (42, 52)]
    assert again.locate([0, 1, 2, 6, 7, 8, 99]).tolist() == [0, 0, 1, 1, 2, 2, -1]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
       | st.lists(st.sampled_from(["Лавров", "met", "Т.", "U.S.", "по-русски", "rock'n'roll", ".", "!»", " ", "\n",
                                   "\n\n", "\n    ", "…", "E.F.", "ёж", "2,5"]), max_size=80).map("".join))
def test_every_word_the_analyzer_positions_falls_in_the_passage_that_holds_it(text):
    table = PassageTable.of(text)
    spans = table.spans()
    for pos, start, end, _word, _part in iter_words(text):
        if not spans or start >= spans[-1][1]:
            continue
        passage = int(table.locate([pos])[0])
        assert spans[passage][0] <= start and end <= spans[passage][1], (pos, start, spans)
    # The table counts the words it covers as the analyzer numbers them (what the index stores).
    covered = {pos for pos, start, *_ in iter_words(text[:SCAN_CHARS]) if spans and start < spans[-1][1]}
    assert table.end_position == len(covered)


def test_a_snippet_is_chosen_from_positions_and_marks_only_what_it_shows():
    text = "Погода хорошая. " * 50 + "Лавров и Макей обсудили НАТО. " + "Спорт. " * 50 + "Снова Лавров."
    table = PassageTable.of(text)
    located = {0: np.array(term_positions(text)["лавров"]), 1: np.array(term_positions(text)["макей"])}
    html = snippet_at(text, table, located, {"лавров", "макей"})
    assert html.startswith("<mark>Лавров</mark> и <mark>Макей</mark> обсудили НАТО.")
    assert snippet_at(text, table, {}, {"лавров"}) is None


def test_a_wire_story_snippet_is_whole_sentences(tmp_path):
    index = Index.build(tmp_path, [Document(id="opec", title="OPEC WANTS 18 DLR OIL PRICE", text=REUTERS, lang="en")])
    snippet = index.search("defend the price", prefix=False).hits[0].snippet
    assert snippet == ("He told the paper that the group would <mark>defend</mark> the <mark>price</mark> "
                       "and that OPEC had no plans to raise output.")
    index.close()


def test_a_line_broken_mid_sentence_is_not_a_passage_end():
    # Short wire stories are too short to look hard-wrapped, and some RT lines break mid-sentence.
    wire = "Exovir Inc said its board\nauthorized the purchase of up to one mln shares."
    assert _passages(wire) == [wire]
    rt = ("Александр Овечкин набрал 1000-е очко, заставив \nсравнивать себя с самим Уэйном Гретцки, а болельщиков "
          "— вспоминать его лучшие голы за «Вашингтон».\nОтветный разгром\nБанки предлагают карты или другие "
          "инструменты\n.")
    assert not is_hard_wrapped(rt)
    assert _passages(rt) == [rt[:rt.index("Ответный") - 1], "Ответный разгром",
                             "Банки предлагают карты или другие инструменты\n."]


def test_the_document_page_keeps_paragraphs_and_joins_wrapped_lines():
    from search.analysis.passages import paragraphs

    assert paragraphs(REUTERS) == [
        "OPEC believes world oil prices should be set around a fixed average price of 18 dlrs a barrel, Saudi Oil "
        "Minister Hisham Nazer said in a newspaper interview published today.",
        "He told the paper that the group would defend the price and that OPEC had no plans to raise output."]
    rt = "Нефть и золото\nТурецкий торговец заявил, что схема работала.\nЗарраб был арестован в 2016 году."
    assert paragraphs(rt) == ["Нефть и золото", "Турецкий торговец заявил, что схема работала.",
                              "Зарраб был арестован в 2016 году."]
