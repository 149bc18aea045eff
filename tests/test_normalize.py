"""Normalization keeps a map back to the raw text: positions are reported as printed."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gxtables.normalize import raw_to_normalized

PIECES = st.sampled_from(["ab", "\r\n", "\u200b", "報(bào)告", "\n- 3 -\n", "12", "|", " ", "（一）", "\n"])


@given(pieces=st.lists(PIECES, max_size=60), data=st.data())
def test_many_spans_map_like_one_at_a_time(pieces, data):
    """The one-walk mapping of a table's numbers gives what mapping each alone gives."""
    nt = raw_to_normalized("".join(pieces))
    n = len(nt.text)
    if not n:
        return
    starts = data.draw(st.lists(st.integers(0, n - 1), max_size=12))
    spans = [(a, min(n, a + data.draw(st.integers(0, 5)))) for a in starts]
    assert nt.raw_spans(spans) == [nt.raw_span(s, e) for s, e in spans]
    spans.sort()
    assert nt.raw_spans(spans) == [nt.raw_span(s, e) for s, e in spans]


@given(st.text(alphabet=st.characters(max_codepoint=0x2FFFF), max_size=80))
def test_the_translation_lists_map_like_their_tables(text):
    """Widths and label keys are translated with lists over the whole plane (no KeyError per Han
    character): the same characters as the tables they are made from."""
    from gxtables import normalize

    width = normalize._width_table()
    key = {ord(c): to for c, to in normalize._BRACKETS.items()}
    assert text.translate(normalize._WIDTH) == text.translate(width)
    assert text.translate(normalize._KEY_TABLE) == text.translate(width).translate(key)
    assert normalize.label_key("（一）行政\u3000许可：") == "(一)行政许可:"
    assert raw_to_normalized("１２，（一）\u3000規章").text == "12,(一) 规章"
