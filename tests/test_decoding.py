import pytest

from search.errors import DocumentError
from search.load.decoding import decode_bytes

RUSSIAN = "Россия и Белоруссия договорились согласовывать взаимодействие с НАТО. Ёлка и ещё."
ENGLISH = "Russia, Belarus agree to seek improvement in relations with NATO."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8_r"])
def test_russian_text_decodes_from_every_supported_encoding(encoding):
    assert decode_bytes(RUSSIAN.encode(encoding)) == RUSSIAN


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "ascii"])
def test_english_text_decodes(encoding):
    assert decode_bytes(ENGLISH.encode(encoding)) == ENGLISH


def test_short_legacy_russian_words_are_told_apart_by_letter_case():
    for word in ["привет", "Москва", "переговоры"]:
        assert decode_bytes(word.encode("cp1251")) == word
        assert decode_bytes(word.encode("koi8_r")) == word


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (bytes(range(256)) * 20, "binary"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 100, "binary"),
    ],
)
def test_non_text_is_refused_with_a_reason(data, reason):
    with pytest.raises(DocumentError, match=reason):
        decode_bytes(data)
