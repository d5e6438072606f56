"""Finds words of the other language on a page run under AppTest.

Every piece of text the page shows is collected from its elements (titles, markdown, captions,
alerts, widget labels, options, placeholders and help, metric labels, table headers and label
cells, chart field names and titles). The store's own data (customer comments, scenario titles,
names: whatever language they are in) is removed first. What is left must not hold a word that
only the other language uses: the words of the other side of the i18n catalogue that this side
never uses, plus the product's label values (sentiments, emotions, states, roles, ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Engine, text

from dashboard.i18n import STRINGS

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
PLACEHOLDER = re.compile(r"\{[^}]*\}")
# Letters and digits in one token ("add04068617046ca8", a run's id): a code, in neither language.
CODE = re.compile(r"(?<![^\W_])(?=[^\W_]*\d)(?=[^\W_]*[^\W\d_])[^\W_]+(?![^\W_])")
# A name in snake case: a column or value of the store that no catalogue named.
IDENTIFIER = re.compile(r"(?<![\w./:-])[a-z]+(?:_[a-z0-9]+)+(?![\w./-])")
# Words both languages write alike, or names: never evidence of a language.
NEUTRAL = {
    "casebook",
    "csv",
    "wow",
    "email",
    "mail",
    "chat",
    "twitter",
    "facebook",
    "json",
    "oidc",
    "url",
    "ok",
    "id",
    "en",
    "fr",
    "de",
    "argon",
    "argon2",
    "vs",
    "top",
    "sms",
    "web",
    "app",
    "nps",
    "cv",
    "pdf",
    "service",
    "http",
    "https",
    "www",
    "com",
    "xlsx",
    "html",
    "information",  # the same word in French ("Demande d'information")
}
# Label values and column names the pages show that the catalogue may not spell out.
ENGLISH_VALUES = {
    "succeeded",  # an ingestion run's status
    "abandoned",
    "negative",
    "positive",
    "neutral",
    "anger",
    "disgust",
    "fear",
    "joy",
    "sadness",
    "customer",
    "advisor",
    "brand",
    "recovery",
    "escalation",
    "unresolved",
    "praise",
    "churn",
    "legal",
    "safety",
    "candidate",
    "review",
    "approved",
    "published",
    "rejected",
    "retired",
    "comments",
    "cases",
    "scenarios",
    "answers",
    "votes",
    "week",
    "weeks",
    "day",
    "days",
    "name",
    "size",
    "terms",
    "score",
    "state",
    "title",
    "level",
    "team",
    "site",
    "language",
    "channel",
    "source",
    "situation",
    "sentiment",
    "emotion",
    "gap",
    "share",
    "count",
    "total",
    "rate",
    "started",
    "finished",
    "status",
    "error",
    "enabled",
    "declared",
    "stored",
    "quarantined",
    "kind",
    "schedule",
    "last",
    "run",
    "created",
    "updated",
    "reason",
    "billing",
    "payment",
    "delivery",
    "order",
    "booking",
    "account",
    "access",
    "technical",
    "support",
    "experience",
    "threat",
    "information",
    "request",
    "other",
    "product",
    "quality",
    "service",
    "disruption",
    "logistics",
    "with",
    "without",
    "the",
    "and",
    "this",
    "that",
    "your",
    "you",
    "not",
    "yet",
    "for",
    "from",
    "none",
    "all",
    "any",
    "new",
    "old",
    "display",
    "role",
    "disabled",
    "yes",
    "no",
    "true",
    "false",
    "nan",
    "null",
    "people",
    "advisors",
    "practised",
    "pivotal",
    "parts",
    "duplicates",
    "family",
    "families",
    "members",
    "growth",
    "emerging",
    "rising",
    "baseline",
    "expected",
    "observed",
    "points",
    "rank",
    "who",
}
FRENCH_VALUES = {
    "réussie",
    "abandonnée",
    "négatif",
    "positif",
    "neutre",
    "colère",
    "dégoût",
    "peur",
    "joie",
    "tristesse",
    "client",
    "conseiller",
    "marque",
    "rétablissement",
    "retournement",
    "escalade",
    "résolu",
    "éloges",
    "départ",
    "juridique",
    "sécurité",
    "candidat",
    "relecture",
    "approuvé",
    "publié",
    "rejeté",
    "retiré",
    "commentaires",
    "cas",
    "scénarios",
    "réponses",
    "semaine",
    "semaines",
    "jour",
    "jours",
    "nom",
    "taille",
    "état",
    "titre",
    "niveau",
    "équipe",
    "langue",
    "canal",
    "situation",
}


def _words(texts: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for value in texts:
        found.update(w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", value)) if len(w) >= 3)
    return found


def _catalogue(language: str) -> list[str]:
    """Every string of a language's side: the UI strings and the labels' tables."""
    from dashboard.labels import COLUMNS, PARTS, VALUES

    tables = (STRINGS, VALUES, COLUMNS, PARTS)
    return [text for table in tables for text in table[language].values()]


def foreign_words(language: str) -> set[str]:
    """Words that betray the other language on a page shown in `language`."""
    english = _words(_catalogue("en")) | ENGLISH_VALUES
    french = _words(_catalogue("fr")) | FRENCH_VALUES
    if language == "fr":
        return english - french - NEUTRAL
    return french - english - NEUTRAL


# ---------------------------------------------------------------------------- the page's text


def _proto_strings(message: Any) -> Iterator[str]:
    """Every string field of a protobuf message, recursively (bytes fields are skipped)."""
    for field, value in message.ListFields():
        values = value if isinstance(value, Sequence) and not isinstance(value, str) else [value]
        for item in values:
            if isinstance(item, str):
                if field.name in {"spec", "id", "form_id", "element_id", "key", "format"}:
                    continue
                yield item
            elif hasattr(item, "ListFields"):
                yield from _proto_strings(item)


def _chart_strings(spec: str) -> Iterator[str]:
    """A chart's field names and titles (what its axes and legends read)."""
    try:
        tree = json.loads(spec)
    except ValueError:
        return

    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"field", "title"} and isinstance(value, str):
                    yield value
                elif key not in {"data", "datasets"}:
                    yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    yield from walk(tree)


LABEL_COLUMNS_HINT = (
    "state",
    "sentiment",
    "emotion",
    "role",
    "arc",
    "gap",
    "status",
    "kind",
    "enabled",
    "you",
)


def _frame_strings(frame: pd.DataFrame) -> Iterator[str]:
    for column in frame.columns:
        yield str(column)
    for column in frame.columns:
        if any(hint in str(column).lower() for hint in LABEL_COLUMNS_HINT):
            yield from (str(v) for v in frame[column].dropna().unique())


def page_texts(at: Any) -> list[str]:
    """The texts a user reads on the page (main area and sidebar), customer text aside."""
    found: list[str] = []

    def visit(node: Any) -> None:
        children = getattr(node, "children", None)
        if children:
            for child in children.values():
                visit(child)
            proto = getattr(node, "proto", None)
            if proto is not None and hasattr(proto, "ListFields"):
                found.extend(_proto_strings(proto))  # e.g. an expander's label
            return
        kind = getattr(node, "type", "")
        if kind == "text":  # st.text: customer and scenario text (dashboard.components.plain)
            return
        if kind == "dataframe":
            headings = json.loads(getattr(node.proto, "columns", "") or "{}")
            frame = node.value
            for name in frame.columns:  # the heading shown: its column_config label, if any
                found.append(str((headings.get(str(name)) or {}).get("label") or name))
            found.extend(s for s in _frame_strings(frame) if s not in map(str, frame.columns))
            return
        proto = getattr(node, "proto", None)
        if proto is None:
            return
        if kind in {"vega_lite_chart", "arrow_vega_lite_chart"}:
            found.extend(_chart_strings(getattr(proto, "spec", "")))
            return
        if kind == "multiselect" and not getattr(proto, "placeholder", ""):
            found.append("Choose options")  # what Streamlit's front end shows in its place
        if kind == "selectbox" and not proto.placeholder and not proto.HasField("default"):
            found.append("Choose an option")
        if kind in {"text_area", "text_input"}:
            for attr in ("label", "placeholder", "help"):
                found.append(str(getattr(proto, attr, "") or ""))
            return
        found.extend(_proto_strings(proto))

    visit(at._tree)
    # Markdown escapes (dashboard.components.md_escape) are not what the reader sees.
    return [re.sub(r"\\(.)", r"\1", t) for t in found if t and t.strip()]


# ---------------------------------------------------------------------------- the store's data

DATA_COLUMNS = [
    ("scenarios", "title"),
    ("scenarios", "model_answer"),
    ("scenarios", "body"),
    ("scenarios", "target_teams"),
    ("comments", "text"),
    ("analyses", "redacted_text"),
    ("users", "display_name"),
    ("users", "username"),
    ("users", "team"),
    ("users", "site"),
    ("families", "name"),
    ("families", "terms"),
    ("sources", "name"),
    ("responses", "text"),
    ("response_comments", "text"),
    ("campaigns", "name"),
    ("quarantine", "raw"),
    ("quarantine", "reason"),
    ("ingest_runs", "error"),
]

NAMES = {
    ("users", "display_name"),
    ("users", "username"),
    ("users", "team"),
    ("users", "site"),
    ("sources", "name"),
    ("families", "name"),
    ("campaigns", "name"),
    ("scenarios", "title"),
}


def _flatten(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in "[{":
            try:
                yield from _flatten(json.loads(stripped))
                return
            except ValueError:
                pass
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list):
        for item in value:
            yield from _flatten(item)


def store_strings(engine: Engine) -> list[str]:
    """Every text the store holds as data (longest first, so that it is removed whole)."""
    found: set[str] = set()
    with engine.connect() as conn:
        for table, column in DATA_COLUMNS:
            try:
                rows = conn.execute(text(f"SELECT {column} FROM {table}")).scalars().all()  # noqa: S608
            except Exception:  # noqa: BLE001 (a column another version of the schema lacks)
                conn.rollback()
                continue
            for value in rows:
                for item in _flatten(value):
                    # Names are data whatever their shape; other values only when they are
                    # sentences (an identifier such as "delivery_delay" is a label to translate).
                    if (table, column) in NAMES or (" " in item.strip() and len(item) >= 4):
                        found.add(item)
        # Situations of a custom taxonomy (not the shipped one) are names: shown as stored.
        for table in ("analyses", "cases"):
            rows = conn.execute(text(f"SELECT DISTINCT situation FROM {table}")).scalars().all()  # noqa: S608
            found.update(str(v) for v in rows if v and str(v) not in _taxonomy_ids())
    return sorted(found, key=len, reverse=True)


def _taxonomy_ids() -> set[str]:
    from casebook.settings import get_settings
    from dashboard.labels import _situations

    return set(_situations(str(get_settings().taxonomy_file)))


def foreign_on_page(at: Any, language: str, data: list[str]) -> dict[str, list[str]]:
    """{foreign word: [the texts it was found in]} for a page shown in `language`."""
    suspects = foreign_words(language)
    hits: dict[str, list[str]] = {}
    for shown in page_texts(at):
        if shown.startswith(":material/"):  # an icon's name
            continue
        cleaned = shown
        for value in data:
            if value in cleaned:  # whole words only: a name must not cut a word in two
                cleaned = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", cleaned)
        for word in WORD.findall(CODE.sub(" ", cleaned)):
            if word.lower() in suspects:
                hits.setdefault(word.lower(), []).append(shown[:120])
        # A stored name shown as it is ("answered_at", "coach_pick"): in neither language.
        for name in IDENTIFIER.findall(cleaned):
            hits.setdefault(name, []).append(shown[:120])
    return hits
