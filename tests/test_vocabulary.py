"""The vocabulary's patterns measured once: how far a match can look, and which words it must contain."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from test_narrative import PROSE_PIECES

from gxtables.vocabulary import LazyPattern, pattern_reach, required_words, vocabulary, vocabulary_from_toml

# pattern → the widest match it can make (None: unbounded, or a pattern the measure refuses to read)
REACHES = dict([
    ("abc", 3), ("a{0,5}b", 6), ("a{3}", 3), ("(?<=x)ab(?!c)", 4), (r"\p{Han}{1,3}", 3), ("(?:ab|cde)f", 4),
    ("[^,;]{0,4}?x", 5), (r"\d{1,12}(?:\.\d{1,4})?", 17), ("(?P<n>a|bb)?$", 2), (r"\[\]", 2),
    ("a*", None), ("a+", None), ("a{2,}", None), ("a{,}", None), ("(?i)x", None), (r"(a)\1", None), ("a{}", None),
    ("(ab", None), ("ab)", None),
])


def test_reach_is_the_widest_match_lookarounds_included():
    assert {pattern: pattern_reach(pattern) for pattern in REACHES} == REACHES  # a failure shows the cases that differ


# pattern → the words one of which every match contains (None: no such words)
REQUIRED = dict([
    ("行政复议{0,3}", ("行政复",)), ("(?:予以公开|同意公开)x", ("予以公开", "同意公开")), ("a(?=bc)", ("a",)),
    ("(?:ab)?c", ("c",)), ("x|y", ("x", "y")), ("x|[a-z]", None), ("(?:ab){1,2}", ("ab",)), ("(?:ab){0,2}", None),
    (r"收到\n申请", ("收到\n申请",)), (r"\d{1,3}", None),
])


def test_required_words_are_in_every_match():
    assert {pattern: required_words(pattern) for pattern in REQUIRED} == REQUIRED


def test_every_shipped_pattern_compiles():
    """The shipped vocabulary compiles each pattern when a text first needs it: none may fail then."""
    import tomllib
    from importlib import resources

    shipped = [p for q in vocabulary() for p in (*q.patterns, *q.zero, q.topic, q.rival, q.exclude) if p is not None]
    assert len(shipped) > 80 and all(isinstance(p, LazyPattern) for p in shipped)
    assert all(p.compiled().pattern == p.pattern for p in shipped)
    data = tomllib.loads((resources.files("gxtables") / "narrative.toml").read_text(encoding="utf-8"))
    eager = vocabulary_from_toml(data, "narrative.toml")  # compiled at once, checked by the regex engine
    assert [[p.pattern for p in q.patterns] for q in eager] == [[p.pattern for p in q.patterns] for q in vocabulary()]


def _measured() -> list:
    return [p for q in vocabulary() for p in (*q.patterns, *q.zero)]


def test_every_vocabulary_pattern_is_measured():
    """The measures are only a shortcut, but one that must not silently stop working."""
    patterns = _measured()
    assert all(pattern_reach(p.pattern) is not None for p in patterns)
    assert sum(required_words(p.pattern) is not None for p in patterns) >= 0.9 * len(patterns)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PROSE_PIECES), max_size=60))
def test_measures_hold_on_prose(pieces):
    text = "".join(pieces)
    for pattern in _measured():
        reach, words = pattern_reach(pattern.pattern), required_words(pattern.pattern)
        for m in pattern.finditer(text, overlapped=True):
            assert reach is None or m.end() - m.start() <= reach, pattern.pattern
            assert words is None or any(w in m.group(0) for w in words), pattern.pattern
