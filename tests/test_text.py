"""What reaches a terminal: no control character, no invisible format character, over all of Unicode."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from search.text import printable, scrub

ANY = st.text(st.characters(exclude_categories=()), max_size=80)
TRICKS = st.sampled_from(["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c",
                          "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\U000e0041", "\x1b", "\x9b", "\ud800",
                          "\xad", "я", "a"])


@settings(max_examples=500, deadline=None)
@given(st.one_of(ANY, st.lists(TRICKS, max_size=20).map("".join)))
def test_printable_sends_no_control_or_invisible_format_character(text):
    shown = printable(text)
    assert len(shown) == len(text)
    for typed, out in zip(text, shown, strict=True):
        category = unicodedata.category(out)
        assert category not in ("Cc", "Cs") or out in "\t\n", repr(out)
        assert category != "Cf" or out == "\xad", repr(out)
        if out != typed:
            assert out == "\ufffd"


def test_scrub_keeps_everything_but_lone_surrogates():
    assert scrub("a\ud800b\U0001f600") == "a\ufffdb\U0001f600"
