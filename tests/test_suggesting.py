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
