"""Words for the browse page's text index: one rule, written twice (here and in browse.js).

A text becomes tokens in four steps, which ``docs/assets/browse.js`` repeats on the
query, so both sides must change together (the browser test ``test_tokens_match``
compares them):

1. Unicode NFKD, lowercase, and combining marks removed ("Émergence" -> "emergence");
2. split into runs of letters and digits (anything else separates words);
3. drop words shorter than ``MIN_LENGTH`` and the ``STOP_WORDS``; cut to ``MAX_LENGTH``;
4. a light plural rule: a final "s" goes when the word has 4+ characters and does not end
   in "ss", "us" or "is" ("agents" -> "agent", "analysis" stays).

The stop words and lengths travel to the browser in the manifest, so only the code of
the steps is duplicated.
"""

from __future__ import annotations

import re
import unicodedata

MIN_LENGTH = 2
MAX_LENGTH = 32
STOP_WORDS = frozenset(
    "a an and are as at be been but by can do does for from has have how if in into is it its no not of on "
    "or our over so such than that the their them then there these they this to towards toward under up via "
    "was we were what when where which while who why will with within without you your".split()
)
_WORD = re.compile(r"[^\W_]+")
# ASCII text takes a faster road to the same words: bytes.translate lowercases letters and turns
# everything but letters and digits into spaces, then split().
_ASCII = bytes(c + 32 if 65 <= c <= 90 else c if chr(c).isalnum() and c < 128 else 32 for c in range(256))


def fold(text: str) -> str:
    """NFKD, lowercase, without combining marks."""
    if text.isascii():
        return text.lower()
    lowered = unicodedata.normalize("NFKD", text).lower()
    return "".join(c for c in lowered if not unicodedata.category(c).startswith("M"))


def stem(word: str) -> str:
    if len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """The index words of ``text``, in order, repeats kept."""
    return [stem(w[:MAX_LENGTH]) for w in _WORD.findall(fold(text))
            if len(w) >= MIN_LENGTH and w not in STOP_WORDS]


class Normaliser(dict[str | bytes, str]):
    """Raw word (str, or ASCII bytes) -> its index word, or "" when dropped; memoised per build."""

    def __missing__(self, raw: str | bytes) -> str:
        word = raw.decode("ascii") if isinstance(raw, bytes) else raw
        value = "" if len(word) < MIN_LENGTH or word in STOP_WORDS else stem(word[:MAX_LENGTH])
        self[raw] = value
        return value


def token_set(text: str, normal: Normaliser) -> set[str]:
    """The distinct index words of ``text`` (the same words as :func:`tokens`, faster)."""
    raw: list[str] | list[bytes] = (text.encode("ascii").translate(_ASCII).split() if text.isascii()
                                    else _WORD.findall(fold(text)))
    found = set(map(normal.__getitem__, raw))
    found.discard("")
    return found


def utf16_key(word: str) -> bytes:
    """Sort key matching JavaScript's string comparison (UTF-16 code units)."""
    return word.encode("utf-16-be")
