"""Near-duplicate cases and families of similar cases, from MinHash signatures of redacted text.

Two signatures per case, both over the lower-cased, redacted main customer text:

- a *duplicate* signature over word 3-shingles (64 permutations, LSH tuned for Jaccard ~0.8):
  copy-pasted complaints and cross-posts collapse into one case;
- a *family* signature over the content words (stop words and placeholders left out;
  32 permutations, LSH tuned for Jaccard ~0.4), within one situation: similar cases group.

Band keys are plain 64-bit integers, so the store can keep them in an indexed column and find
candidates with one query per batch; the functions here need no database.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

DUP_THRESHOLD = 0.8
DUP_PERMS = 64
# The signature's estimate has a standard error of ~0.05 at 64 permutations: verify a little
# below the threshold so true near-duplicates are not missed half the time.
DUP_VERIFY = 0.75
FAMILY_THRESHOLD = 0.4
FAMILY_PERMS = 32
SHINGLE = 3
MIN_TOKENS = 5  # shorter texts ("help!!", "thanks") are never collapsed: too many look alike
MIN_TERMS = 2
NAME_TERMS = 3
KEEP_TERMS = 40
SCHEME = "affine32"

PLACEHOLDERS = frozenset({"[email]", "[phone]", "[card]", "[iban]", "[url]", "[name]"})

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "aren't",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "did",
        "didn't",
        "do",
        "does",
        "doesn't",
        "doing",
        "don't",
        "down",
        "during",
        "each",
        "even",
        "ever",
        "every",
        "few",
        "for",
        "from",
        "further",
        "get",
        "got",
        "had",
        "hadn't",
        "has",
        "hasn't",
        "have",
        "haven't",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "i'm",
        "i've",
        "if",
        "in",
        "into",
        "is",
        "isn't",
        "it",
        "it's",
        "its",
        "itself",
        "just",
        "let's",
        "like",
        "me",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "please",
        "same",
        "she",
        "should",
        "so",
        "some",
        "still",
        "such",
        "than",
        "thank",
        "thanks",
        "that",
        "that's",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "us",
        "very",
        "was",
        "wasn't",
        "we",
        "we're",
        "were",
        "weren't",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "won't",
        "would",
        "you",
        "you're",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "hi",
        "hello",
        "dear",
        "still",
        "yet",
        "again",
        "already",
        "really",
        "im",
        "dont",
        "cant",
        "ive",
        "youre",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cet",
        "cette",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "elles",
        "en",
        "et",
        "eux",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "ma",
        "mais",
        "me",
        "même",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ou",
        "où",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "sa",
        "se",
        "ses",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "c",
        "d",
        "j",
        "l",
        "à",
        "m",
        "n",
        "s",
        "t",
        "y",
        "été",
        "être",
        "avoir",
        "ai",
        "as",
        "avons",
        "avez",
        "ont",
        "est",
        "sont",
        "suis",
        "es",
        "était",
        "fait",
        "faire",
        "plus",
        "très",
        "bien",
        "tout",
        "tous",
        "toute",
        "toutes",
        "rien",
        "encore",
        "déjà",
        "merci",
        "bonjour",
        "svp",
        "aussi",
        "si",
        "ça",
        "cela",
        "ceci",
        "comme",
        "quand",
        "alors",
        "donc",
        "car",
        "depuis",
        "chez",
        "sans",
        "sous",
        "entre",
        "après",
        "avant",
        "vers",
        "c'est",
        "j'ai",
        "n'est",
        "qu'il",
        "d'un",
        "d'une",
        "l'on",
        "jamais",
        "toujours",
        "ici",
        "là",
        "non",
        "oui",
        "peu",
        "trop",
    ]
    + [
        "actually",
        "anything",
        "something",
        "nothing",
        "everything",
        "never",
        "ago",
        "come",
        "comes",
        "came",
        "done",
        "getting",
        "going",
        "gonna",
        "want",
        "wants",
        "wanted",
        "need",
        "needs",
        "know",
        "time",
        "times",
        "day",
        "days",
        "today",
        "since",
        "make",
        "made",
        "see",
        "way",
        "tell",
        "told",
        "said",
        "say",
        "two",
        "three",
        "first",
        "last",
        "back",
        "via",
        "ok",
        "okay",
        "sure",
        "guys",
        "well",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "someone",
        "anyone",
        "people",
        "thing",
        "things",
        "put",
        "take",
        "took",
        "give",
        "gave",
        "keep",
        "try",
        "tried",
        "trying",
        "hey",
        "unless",
        "seriously",
        "absolutely",
        "morning",
        "evening",
        "good",
        "comment",
        "pourquoi",
        "fois",
        "jour",
        "jours",
        "ans",
        "veux",
        "peux",
        "dois",
        "faut",
        "quoi",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "vraiment",
        "aucun",
        "aucune",
        "personne",
        "chose",
        "choses",
        "mois",
        "semaine",
        "semaines",
        "hier",
        "aujourd'hui",
        "maintenant",
        "fais",
        "faites",
        "dit",
        "dire",
        "voir",
        "mettre",
        "bonsoir",
        "salut",
        "essayé",
        "n'arrive",
        "d'accord",
    ]
)

_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"(?<![\w@])@\w+")
_TOKEN = re.compile(r"\[[a-z_]+\]|[^\W\d_][\w'’-]*|\d+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """The lower-cased words of a redacted text; handles and links dropped, placeholders kept."""
    text = _HANDLE.sub(" ", _URL.sub(" ", (text or "").lower())).replace("’", "'")
    return [t.rstrip("'-") for t in _TOKEN.findall(text)]


def content_terms(text: str) -> list[str]:
    """The words that say what a text is about: no stop words, placeholders, numbers or short words."""
    return [
        t
        for t in tokens(text)
        if len(t) >= 3 and t not in STOP_WORDS and t not in PLACEHOLDERS and not t.isdigit()
    ]


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Word k-shingles of a text (the words themselves when it is shorter than k)."""
    words = tokens(text)
    if len(words) < k:
        return set(words)
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    return MinHash(num_perm=num_perm, seed=1, scheme=SCHEME).permutations


@lru_cache(maxsize=8)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's LSH picks for this threshold and signature size."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def signature(items: Iterable[str], num_perm: int) -> np.ndarray:
    """The MinHash signature (uint32 values) of a set of strings."""
    sketch = MinHash(num_perm=num_perm, permutations=_permutations(num_perm), scheme=SCHEME)
    sketch.update_batch([s.encode("utf-8") for s in items])
    return sketch.hashvalues


def dup_signature(text: str) -> np.ndarray | None:
    """The near-duplicate signature of a main customer text, or None when it is too short to tell."""
    if len(tokens(text)) < MIN_TOKENS:
        return None
    return signature(shingles(text), DUP_PERMS)


def family_signature(terms: Sequence[str]) -> np.ndarray | None:
    """The family signature of a text's content words, or None when it has too few."""
    distinct = set(terms)
    if len(distinct) < MIN_TERMS:
        return None
    return signature(distinct, FAMILY_PERMS)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard similarity two signatures estimate."""
    return float(np.count_nonzero(a == b)) / len(a) if len(a) == len(b) and len(a) else 0.0


def band_keys(sig: np.ndarray, threshold: float, salt: str) -> list[int]:
    """One signed 64-bit key per LSH band of `sig`; two texts share a key when a band matches."""
    bands, rows = lsh_params(threshold, len(sig))
    prefix = salt.encode("utf-8")
    keys = []
    for band in range(bands):
        chunk = sig[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(prefix + bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def dup_keys(sig: np.ndarray) -> list[int]:
    """The band keys of a near-duplicate signature."""
    return band_keys(sig, DUP_THRESHOLD, "dup:")


def family_keys(sig: np.ndarray, situation: str) -> list[int]:
    """The band keys of a family signature, within its situation (families never mix situations)."""
    return band_keys(sig, FAMILY_THRESHOLD, f"fam:{situation}:")


def encode(sig: np.ndarray) -> str:
    """A signature as text, to keep in the store."""
    return np.asarray(sig, dtype="<u4").tobytes().hex()


def decode(text: str) -> np.ndarray:
    """A signature kept as text."""
    return np.frombuffer(bytes.fromhex(text), dtype="<u4")


def merge_terms(
    counts: Sequence[Sequence[object]] | Mapping[str, int], new_terms: Iterable[str]
) -> list[list[object]]:
    """A family's term counts (as [term, count] pairs) with one more member's terms added, top first."""
    merged: Counter[str] = Counter(
        dict(counts) if isinstance(counts, Mapping) else {str(t): int(n) for t, n in counts}  # type: ignore[call-overload]
    )
    merged.update(set(new_terms))
    top = sorted(merged.items(), key=lambda item: (-item[1], item[0]))[:KEEP_TERMS]
    return [[term, n] for term, n in top]


def family_name(counts: Sequence[Sequence[object]] | Mapping[str, int], n: int = NAME_TERMS) -> str:
    """A family's name: its most frequent terms, e.g. "parcel · lost · refund"."""
    pairs = counts.items() if isinstance(counts, Mapping) else [(t, c) for t, c in counts]
    ranked = sorted(((str(t), int(c)) for t, c in pairs), key=lambda p: (-p[1], p[0]))  # type: ignore[call-overload]
    name = " · ".join(term for term, _ in ranked[:n])
    return name[:200] or "(no terms)"


def name_families(
    term_counts: Mapping[int, Sequence[Sequence[object]]], n: int = NAME_TERMS
) -> dict[int, str]:
    """Each family's name from the terms that set it apart: its term counts weighted by how few
    of the other families share the term (TF-IDF over families)."""
    df: Counter[str] = Counter(str(t) for counts in term_counts.values() for t, _ in counts)
    total = len(term_counts)
    names = {}
    for family, counts in term_counts.items():
        weighted = {
            str(t): int(c) * math.log((1 + total) / (1 + df[str(t)])) + int(c) * 1e-6  # type: ignore[call-overload]
            for t, c in counts
        }
        ranked = sorted(weighted.items(), key=lambda p: (-p[1], p[0]))
        names[family] = " · ".join(t for t, _ in ranked[:n])[:200] or "(no terms)"
    return names


def near_duplicate_groups(texts: Sequence[str]) -> list[list[int]]:
    """Indexes of `texts` grouped by near-duplication (Jaccard of 3-shingles ~0.8); first one leads."""
    leaders: dict[int, int] = {}  # band key -> group position
    sigs: list[np.ndarray] = []
    groups: list[list[int]] = []
    for i, text in enumerate(texts):
        sig = dup_signature(text)
        if sig is None:
            groups.append([i])
            sigs.append(np.zeros(0, dtype=np.uint32))
            continue
        keys = dup_keys(sig)
        candidates = sorted({leaders[k] for k in keys if k in leaders})
        best = max(candidates, key=lambda g: similarity(sig, sigs[g]), default=None)
        if best is not None and similarity(sig, sigs[best]) >= DUP_VERIFY:
            groups[best].append(i)
            continue
        groups.append([i])
        sigs.append(sig)
        for k in keys:
            leaders.setdefault(k, len(groups) - 1)
    return groups


def family_groups(
    texts: Sequence[str], situations: Sequence[str] | None = None, seed_members: int = 5
) -> list[list[int]]:
    """Indexes of `texts` grouped into families (content words, Jaccard ~0.4, per situation).

    A text joins the family whose band keys it shares most; a family's keys come from its first
    `seed_members` members only, so a family cannot drift far from what started it.
    """
    situations = situations or ["other"] * len(texts)
    index: dict[int, set[int]] = {}
    groups: list[list[int]] = []
    for i, (text, situation) in enumerate(zip(texts, situations, strict=True)):
        sig = family_signature(content_terms(text))
        keys = family_keys(sig, situation) if sig is not None else []
        hits: Counter[int] = Counter(g for k in keys for g in index.get(k, ()))
        if hits:
            family = min(hits, key=lambda g: (-hits[g], g))
            groups[family].append(i)
        else:
            family = len(groups)
            groups.append([i])
        if len(groups[family]) <= seed_members:
            for k in keys:
                index.setdefault(k, set()).add(family)
    return groups
