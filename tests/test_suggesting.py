"""Suggestions while a query is typed."""

from search import Document, Index


def test_a_partial_word_is_completed_once_per_word_not_once_per_inflection(tmp_path):
    texts = ["санкции"] * 6 + ["санкций"] * 5 + ["санкциями"] * 4 + ["санкционный режим"] * 3
    docs = [Document(id=f"d{i}", title=f"Новость {i}", text=f"Евросоюз обсудил {t}.", lang="ru")
            for i, t in enumerate(texts)]
    index = Index.build(tmp_path, docs)
    assert index.suggest("санкц").completions == ["санкции", "санкционный"]
    assert "санкций" not in index.suggest("санкции").completions  # the word typed is not offered again
    index.close()


def test_the_word_being_typed_completes_to_what_the_other_words_meet(tmp_path):
    """«Лавров Мак»: Макей, whom the texts on Лавров name, before Максим, who is named more often but elsewhere;
    an abbreviation typed in capitals is completed in capitals (нефть ОП: ОПЕК)."""
    docs = [Document(id=f"m{i}", title=f"Матч {i}", text="Вратарь Максим отразил удар. Максим молодец.", lang="ru")
            for i in range(12)]
    docs += [Document(id=f"l{i}", title=f"Визит {i}", text="Сергей Лавров встретился с Владимиром Макеем.", lang="ru")
             for i in range(3)]
    docs += [Document(id=f"o{i}", title=f"Рынок {i}", text="Нефть дорожает после решения ОПЕК.", lang="ru")
             for i in range(3)]
    index = Index.build(tmp_path, docs)
    assert index.suggest("Мак").completions[0] == "Максим"  # alone, the most frequent
    assert index.suggest("Лавров Мак").completions[0] == "Лавров Макеем"
    assert index.suggest("нефть ОП").completions[0] == "нефть ОПЕК"
    index.close()


def test_a_completion_that_meets_the_other_words_in_many_texts_comes_before_a_rare_one(tmp_path):
    """«санкции против Тур»: Турции, with санкции in thirty texts of the hundreds that name Turkey, before
    турбины, with санкции in the three texts that hold it at all."""
    docs = [Document(id=f"s{i}", title=f"Санкции {i}", text="США готовят санкции против Турции.", lang="ru")
            for i in range(30)]
    docs += [Document(id=f"t{i}", title=f"Туризм {i}", text="Туристы едут в Турцию.", lang="ru") for i in range(200)]
    docs += [Document(id=f"b{i}", title=f"Крым {i}", text="Санкции из-за турбин в Крыму.", lang="ru")
             for i in range(3)]
    index = Index.build(tmp_path, docs)
    assert index.suggest("санкции против Тур").completions[0].startswith("санкции против Турци")  # Турция, any form
    index.close()


def test_the_documents_shown_follow_the_first_suggestion_and_a_beginning_does_not_cross_as_a_name(tmp_path):
    """«Лавров Мак» shows the texts on Лавров and Макей, as its first suggestion says, not those on Лавров
    alone; «Лав», a word in one text and the beginning of Лавров in many, shows Лавров's texts, and does not
    bring LOWE'S (whose name key it shares) first."""
    docs = [Document(id=f"l{i}", title=f"Брифинг {i}", text="Сергей Лавров ответил на вопросы.", lang="ru")
            for i in range(8)]
    docs += [Document(id=f"m{i}", title=f"Визит {i}", text="Лавров встретился с Владимиром Макеем.", lang="ru")
             for i in range(2)]
    docs += [Document(id=f"x{i}", title=f"Рынок {i}", text="Мак цветёт, максимально красиво.", lang="ru")
             for i in range(2)]
    docs += [Document(id="love", title="Концерт", text="На сцену вышла Кортни Лав.", lang="ru"),
             Document(id="lowe", title="LOWE'S SALES UP", text="LOWE'S said sales rose.", lang="en")]
    index = Index.build(tmp_path, docs)
    suggested = index.suggest("Лавров Мак")
    assert suggested.completions[0] == "Лавров Макеем"
    assert {h.id for h in suggested.hits[:2]} == {"m0", "m1"}
    shown = [h.id for h in index.suggest("Лав", limit=5).hits]
    assert shown[0] not in ("love", "lowe") and "lowe" not in shown[:3]
    assert index.search("Лав").hits[0].id != "lowe"
    index.close()


def test_a_phrase_the_titles_found_share_is_suggested_first(tmp_path):
    """«санкции про»: three titles say «санкции против России», so the reader is offered that whole phrase
    before the completions of «про»; a phrase only one title holds is not offered, nor one that ends on a
    function word; a wire's capitals are offered in lower case."""
    titles = ["ЕС продлил санкции против России", "Новые санкции против России: что дальше",
              "Санкции против России продлены", "Санкции против Ирана", "Прогноз погоды"]
    docs = [Document(id=f"d{i}", title=title, text=f"{title}. Подробности в материале.", lang="ru")
            for i, title in enumerate(titles)]
    docs += [Document(id=f"w{i}", title=f"TRUMP PLAZA SAYS {what}", text=f"Trump Plaza said {what.lower()}.",
                      lang="en") for i, what in enumerate(["PROFIT ROSE", "SALES FELL"])]
    index = Index.build(tmp_path, docs)
    offered = index.suggest("санкции про").completions
    assert offered[0] == "санкции против России" and "санкции против Ирана" not in offered
    assert index.suggest("Trump").completions[0] == "Trump plaza"
    index.close()
