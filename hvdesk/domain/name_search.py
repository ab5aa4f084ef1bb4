"""Finding people as the office types: accents and case ignored, spelling variants tolerated.

"zoe" finds Zoë and "lukasz" finds Łukasz: text is folded (Unicode NFKD, combining marks
dropped, a few letters NFKD keeps whole mapped by hand, then casefold). "Mohamed" finds
Muhammad and Mohammed: a typed word also matches a name with the same consonant skeleton
(vowels and doubled letters dropped after the first letter) or one close enough by edit
distance (rapidfuzz). Matches are ranked: a name that starts with what was typed first, then
one containing it, then a variant, closest first.

Scores are per distinct word, cached, so a keystroke over 2,000 pupils costs a few
milliseconds (benchmarks/name_search.py measures it against reading the rows alone).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz

__all__ = [
    "NameIndex",
    "Scorer",
    "fold",
    "folded_fields",
    "folded_words",
    "matches_all",
    "ranked",
    "skeleton",
    "terms_of",
]

PREFIX, CONTAINS, SKELETON = 100.0, 90.0, 80.0
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio (0-100) below which two words are not variants
MIN_TOLERANT = 3  # shorter typed words match only exactly (no variants of "al")
# Letters NFKD does not take apart, as a person without the key would type them.
_BY_HAND = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ħ": "h",
        "ı": "i",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "ʼ": "'",
        "’": "'",
    }
)
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Text as search compares it: no accents, no case ("Zoë Łukasz" -> "zoe lukasz")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_BY_HAND))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.casefold()


@lru_cache(maxsize=65_536)
def skeleton(word: str) -> str:
    """A folded word's consonant skeleton: first letter kept, then vowels and repeated letters
    dropped ("mohammed", "muhammad", "mohamed" -> "mhmd"; "yusuf", "yousef" -> "ysf")."""
    if not word:
        return ""
    out = [word[0]]
    for c in word[1:]:
        if c in _VOWELS or not c.isalpha() or c == out[-1]:
            continue
        out.append(c)
    return "".join(out)


def folded_words(*names: str | None) -> tuple[str, ...]:
    """The folded words of some names ("Zoë Ann", "Ashworth" -> zoe, ann, ashworth)."""
    return tuple(w for n in names if n for w in fold(n).split())


def folded_fields(*fields: str | None) -> tuple[str, ...]:
    return tuple(fold(f) for f in fields if f)


def terms_of(search: str) -> list[str]:
    """The words typed, folded."""
    return fold(search).split()


class Scorer:
    """Scores fields against one search. Build it once per keystroke; `score` each row."""

    def __init__(self, search: str) -> None:
        self.terms = terms_of(search)
        self._word_scores: dict[tuple[str, str], float] = {}

    def score(self, names: Iterable[str | None], exact: Iterable[str | None] = ()) -> float:
        """0 when some typed word matches nothing; else the sum of each word's best match.

        `names` are matched tolerantly (word by word); `exact` fields (MIS id, postcode) only
        by containing the typed word.
        """
        return self.score_folded(folded_words(*names), folded_fields(*exact))

    def score_folded(self, words: Sequence[str], exact: Sequence[str]) -> float:
        """As `score`, on names already split into folded words and fields already folded
        (a search index folds them once, not at every keystroke)."""
        plain = exact
        total = 0.0
        for term in self.terms:
            best = max((self._word(term, w) for w in words), default=0.0)
            if best < PREFIX and any(term in e for e in plain):
                best = CONTAINS
            if best == 0.0:
                return 0.0
            total += best
        return total

    def _word(self, term: str, word: str) -> float:
        key = (term, word)
        found = self._word_scores.get(key)
        if found is None:
            found = _word_score(term, word)
            self._word_scores[key] = found
        return found


def matches_all(terms: Iterable[str], fields: Iterable[str | None]) -> bool:
    """Every folded typed word is in a field, or is a spelling variant of one of its words
    (the directory's filters: "amy smi" finds Amy Smith, "zoe" Zoë, "mohamed" Muhammad)."""
    folded = [fold(f) for f in fields if f]
    words = [w for f in folded for w in f.split()]
    return all(
        any(term in f for f in folded) or any(_word_score(term, w) for w in words) for term in terms
    )


@lru_cache(maxsize=262_144)
def _word_score(term: str, word: str) -> float:
    if word.startswith(term):
        return PREFIX
    if term in word:
        return CONTAINS
    if len(term) < MIN_TOLERANT or not (term.isalpha() and word.isalpha()):
        return 0.0  # ids, postcodes and dates match only as typed
    term_skeleton, word_skeleton = skeleton(term), skeleton(word)
    if len(term_skeleton) >= 2 and term_skeleton == word_skeleton:
        return SKELETON
    ratio = fuzz.ratio(term, word)
    if ratio >= FUZZY_CUTOFF:
        return SKELETON * ratio / 100.0
    # Typing the start of a variant ("muham" for Mohammed): compare with the word's start.
    if len(term) >= 4:
        start = fuzz.ratio(term, word[: len(term)])
        if start >= FUZZY_CUTOFF:
            return SKELETON * 0.9 * start / 100.0
    return 0.0


class NameIndex:
    """Rows of folded name words and exact fields, indexed by word, so a keystroke scores each
    distinct word once (a school has far fewer distinct names than pupils) instead of every
    row: under a few milliseconds at 2,000 pupils."""

    def __init__(self, rows: Sequence[tuple[Sequence[str], Sequence[str]]]) -> None:
        postings: dict[str, list[int]] = {}
        for n, (words, _exact) in enumerate(rows):
            for word in set(words):
                postings.setdefault(word, []).append(n)
        self._postings = postings
        self._exact = tuple("\x00".join(exact) for _words, exact in rows)
        self.size = len(rows)

    def search(self, scorer: Scorer) -> dict[int, float]:
        """Row number -> score, for the rows every typed word matches."""
        totals: dict[int, float] | None = None
        for term in scorer.terms:
            best: dict[int, float] = {}
            for word, rows in self._postings.items():
                score = _word_score(term, word)
                if score:
                    for n in rows:
                        if best.get(n, 0.0) < score:
                            best[n] = score
            for n, exact in enumerate(self._exact):
                if term in exact and best.get(n, 0.0) < CONTAINS:
                    best[n] = CONTAINS
            if totals is None:
                totals = best
            else:
                totals = {n: totals[n] + score for n, score in best.items() if n in totals}
            if not totals:
                return {}
        return totals or {}


def ranked(scored: Sequence[tuple[float, tuple[str, ...], object]]) -> list[object]:
    """Items with a score above zero, best first, ties by their sort key."""
    kept = [s for s in scored if s[0] > 0.0]
    kept.sort(key=lambda s: (-s[0], s[1]))
    return [s[2] for s in kept]
