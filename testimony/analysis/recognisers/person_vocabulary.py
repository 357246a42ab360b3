"""The common words whose readings the person recogniser works out once, when its models load.

The recogniser memoises what it learns about each word (its skeleton, whether it may be a name,
what pymorphy2 says of it) only while it reads one text: kept longer, the memos would hold the
names of every testimony a worker has read. A new text's common words would then be looked up
afresh each time, and most of a text is common words. So the readings of a fixed vocabulary are
worked out at start-up and frozen: the words of the language samples the package ships
(``data/lang_*.txt``, kept free of personal names), the recogniser's own cue words and its list of
words that are never names, the most frequent words of natasha's news embedding vocabulary
(navec, which counts each word's occurrences in its corpus), and the commonest of those as
Russian is typed in Latin letters ("что" -> "chto", "меня" -> "menya"). Nothing a testimony
contains is ever added: these memos are written once, from shipped data, and only read
afterwards.

Pure functions; ``person`` builds and consults the frozen memos.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Sequence

# How many of the embedding vocabulary's most frequent words to freeze: more words cost start-up
# time (about 0.1 ms each) and memory for a smaller share of each new text.
TOP_EMBEDDING_WORDS = 20000
TOP_TRANSLITERATED = 5_000  # of those, the most frequent Cyrillic ones also in Latin letters
MIN_LENGTH = 1  # "в", "и", "a", "i": one-letter words are the commonest of all

_WORD = re.compile(r"[^\W\d_]+(?:['ʻʼ’‘`][^\W\d_]+)*")


def most_frequent(words: Sequence[str], counts: Sequence[int], top: int) -> list[str]:
    """The ``top`` words with the highest counts (``words[i]`` occurs ``counts[i]`` times)."""
    if not counts or len(counts) != len(words):
        return []
    best = heapq.nlargest(top, range(len(words)), key=counts.__getitem__)
    return [words[i] for i in best]


def common_words(samples: Iterable[str], frequent: Iterable[str]) -> list[str]:
    """Lower-case alphabetic words of ``samples`` and ``frequent``, sorted, without duplicates."""
    out = {w.lower() for w in (*samples, *frequent)}
    return sorted(w for w in out if len(w) >= MIN_LENGTH and _WORD.fullmatch(w))


# Russian in Latin letters as migrants type it (х as "h", й as "i"): one common spelling each.
_TO_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sch",
        "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip
_RUSSIAN = re.compile(r"[а-яё]+")


def latin_spellings(words: Iterable[str]) -> list[str]:
    """Russian words as they are commonly typed in Latin letters ("человек" -> "chelovek")."""
    return [w.translate(_TO_LATIN) for w in words if _RUSSIAN.fullmatch(w)]


def vocabulary_words(vocab: object, top: int = TOP_EMBEDDING_WORDS) -> list[str]:
    """The most frequent words of a navec vocabulary (``words`` and ``counts``), [] without counts."""
    words = getattr(vocab, "words", None)
    counts = getattr(vocab, "counts", None)
    if words is None or counts is None:
        return []
    return most_frequent(words, counts, top)


def news_embedding_words(top: int = TOP_EMBEDDING_WORDS) -> list[str]:
    """The most frequent words of natasha's news embedding, read from its file's vocabulary alone
    (not its vectors: the NER model need not be loaded for this); [] if natasha is missing."""
    try:
        from natasha.data import NEWS_EMBEDDING
        from navec.navec import VOCAB
        from navec.tar import Tar
        from navec.vocab import Vocab
    except ImportError:  # pragma: no cover - natasha is a dependency
        return []
    with Tar(NEWS_EMBEDDING) as tar:
        vocab = Vocab.from_file(tar.load(VOCAB))
    return vocabulary_words(vocab, top)
