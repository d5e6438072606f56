"""The words a page shows for stored values and table columns, in English and French.

`label(value)` names a stored value (a sentiment, an emotion, an arc, a review state, a role, a
risk, a skill axis, a situation of the taxonomy, yes/no); `localised(frame)` gives a table or a
chart's data its readers' column names and label values. Values the tables do not know (a
situation of a custom taxonomy, a team) are shown as stored.

It is one module because its tables keep each column's and value's English and French side by
side (as dashboard/i18n.py does for the pages' strings), with the few functions that read them.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

import pandas as pd
import streamlit as st

from casebook.settings import get_settings
from casebook_data.taxonomy_names import situation_names
from dashboard.i18n import current_language, date_format
from delivery.texts import CHANNELS

VALUES: dict[str, dict[str, str]] = {
    "en": {
        "negative": "negative",
        "neutral": "neutral",
        "positive": "positive",
        "anger": "anger",
        "disgust": "disgust",
        "fear": "fear",
        "joy": "joy",
        "sadness": "sadness",
        "surprise": "surprise",
        "recovery": "recovery",
        "escalation": "escalation",
        "unresolved": "unresolved",
        "praise": "praise",
        "question": "question",
        "not_service": "not about service",
        "candidate": "candidate",
        "in_review": "in review",
        "approved": "approved",
        "published": "published",
        "archived": "archived",
        "rejected": "rejected",
        "customer": "customer",
        "agent": "advisor",
        "advisor": "advisor",
        "coach": "coach",
        "leader": "leader",
        "admin": "admin",
        "churn": "churn",
        "legal": "legal",
        "safety": "safety",
        "public_escalation": "public escalation",
        "operational": "operational",
        "relational": "relational",
        "managerial": "managerial",
        "ok": "ok",
        "failed": "failed",
        "running": "running",
        "upcoming": "upcoming",
        "ended": "ended",
        "succeeded": "succeeded",
        "abandoned": "abandoned",
        "True": "yes",
        "False": "no",
        "none": "none",
        # A conversation's outcome (curation/outcome.py): start, need, end, delicate situations.
        "complaint": "complaint",
        "request": "request",
        "solved": "solved",
        "answered": "answered",
        "redirected": "redirected",
        "ignored": "ignored",
        "asked": "asked back",
        "thanked": "thanked only",
        "delighted": "delighted",
        "satisfied": "satisfied",
        "relieved": "relieved",
        "waiting": "still waiting",
        "angrier": "angrier",
        "threatening": "threatening",
        "privacy": "privacy",
        "vulnerable": "vulnerable customer",
        # Languages (analyses' codes): "und" is a text too short or mixed to tell.
        "en": "English",
        "fr": "French",
        "und": "undetermined",
        # The channels' names are delivery's: the exported player and handout name them too.
        **CHANNELS["en"],
    },
    "fr": {
        "negative": "négatif",
        "neutral": "neutre",
        "positive": "positif",
        "anger": "colère",
        "disgust": "dégoût",
        "fear": "peur",
        "joy": "joie",
        "sadness": "tristesse",
        "surprise": "surprise",
        "recovery": "retournement réussi",
        "escalation": "escalade",
        "unresolved": "non résolu",
        "praise": "compliment",
        "question": "question",
        "not_service": "hors relation client",
        "candidate": "candidat",
        "in_review": "en relecture",
        "approved": "approuvé",
        "published": "publié",
        "archived": "archivé",
        "rejected": "rejeté",
        "customer": "client",
        "agent": "conseiller",
        "advisor": "conseiller",
        "coach": "coach",
        "leader": "responsable",
        "admin": "administrateur",
        "churn": "départ",
        "legal": "juridique",
        "safety": "sécurité",
        "public_escalation": "escalade publique",
        "operational": "opérationnel",
        "relational": "relationnel",
        "managerial": "managérial",
        "ok": "ok",
        "failed": "échec",
        "running": "en cours",
        "upcoming": "à venir",
        "ended": "terminée",
        "succeeded": "réussie",
        "abandoned": "abandonnée",
        "True": "oui",
        "False": "non",
        "none": "aucun",
        "complaint": "réclamation",
        "request": "demande",
        "solved": "résolu",
        "answered": "répondu",
        "redirected": "redirigé",
        "ignored": "ignoré",
        "asked": "question en retour",
        "thanked": "remerciement seul",
        "delighted": "ravi",
        "satisfied": "satisfait",
        "relieved": "soulagé",
        "waiting": "toujours en attente",
        "angrier": "plus en colère",
        "threatening": "menaçant",
        "privacy": "vie privée",
        "vulnerable": "client vulnérable",
        "en": "anglais",
        "fr": "français",
        "und": "indéterminée",
        **CHANNELS["fr"],
    },
}

COLUMNS: dict[str, dict[str, str]] = {
    "en": {
        "case_id": "Case",
        "scenario_id": "Scenario",
        "scenario_title": "Scenario title",
        "scenario_state": "Scenario state",
        "title": "Title",
        "state": "State",
        "situation": "Situation",
        "channel": "Channel",
        "language": "Language",
        "arc": "Arc",
        "emotion": "Emotion",
        "sentiment": "Sentiment",
        "source": "Source",
        "score": "Score",
        "duplicate_count": "Similar threads",
        "family": "Family",
        "created_at": "Created",
        "name": "Name",
        "size": "Size",
        "size_this_week": "This week",
        "terms": "Distinctive words",
        "you": "You",
        "rank": "Rank",
        "answers": "Answers",
        "points": "Points",
        "group": "Group",
        "day": "Day",
        "week": "Week",
        "comments": "Comments",
        "this_week": "This week",
        "weekly_before": "Weekly before",
        "mean": "Weekly average",
        "std": "Spread (std. dev.)",
        "z": "z-score",
        "flagged": "Rising",
        "gap": "Training gap",
        "cases": "Cases",
        "published_scenarios": "Published scenarios",
        "advisors_practised": "Advisors who practised",
        "team": "Team",
        "site": "Site",
        "responses": "Answers",
        "votes": "Votes",
        "answered_at": "Answered",
        "is_demo": "Demo account",
        "coach_pick": "Coach's pick",
        "kind": "Kind",
        "schedule": "Schedule",
        "enabled": "Enabled",
        "declared": "Declared",
        "stored": "Stored",
        "last_run_status": "Last run",
        "last_run_started_at": "Last run started",
        "last_run_finished_at": "Last run finished",
        "last_run_error": "Last run error",
        "quarantined": "Quarantined",
        "reason": "Reason",
        "position": "Position",
        "attempts": "Attempts",
        "raw": "Raw record",
        "username": "Username",
        "display_name": "Name",
        "role": "Role",
        "level": "Level",
        "disabled_at": "Disabled on",
        "interface_language": "Interface language",
        "work_languages": "Customers' languages",
        "why": "Why",
        "start": "Start",
        "need": "Need",
        "end": "End",
        "campaign_id": "Campaign",
        "id": "ID",
        "status": "Status",
        "first_day": "First day",
        "last_day": "Last day",
        "teams": "Teams",
        "scenarios": "Scenarios",
        "created_by": "Created by",
        "picks": "Coach's picks",
        "quiz": "Of which quiz challenge",
    },
    "fr": {
        "case_id": "Cas",
        "scenario_id": "Scénario",
        "scenario_title": "Titre du scénario",
        "scenario_state": "État du scénario",
        "title": "Titre",
        "state": "État",
        "situation": "Situation",
        "channel": "Canal",
        "language": "Langue",
        "arc": "Arc",
        "emotion": "Émotion",
        "sentiment": "Sentiment",
        "source": "Source",
        "score": "Score",
        "duplicate_count": "Fils similaires",
        "family": "Famille",
        "created_at": "Créé le",
        "name": "Nom",
        "size": "Taille",
        "size_this_week": "Cette semaine",
        "terms": "Mots distinctifs",
        "you": "Vous",
        "rank": "Rang",
        "answers": "Réponses",
        "points": "Points",
        "group": "Groupe",
        "day": "Jour",
        "week": "Semaine",
        "comments": "Commentaires",
        "this_week": "Cette semaine",
        "weekly_before": "Par semaine avant",
        "mean": "Moyenne hebdomadaire",
        "std": "Écart type",
        "z": "Score z",
        "flagged": "En hausse",
        "gap": "Manque de formation",
        "cases": "Cas",
        "published_scenarios": "Scénarios publiés",
        "advisors_practised": "Conseillers entraînés",
        "team": "Équipe",
        "site": "Site",
        "responses": "Réponses",
        "votes": "Votes",
        "answered_at": "Répondu le",
        "is_demo": "Compte de démonstration",
        "coach_pick": "Choix du coach",
        "kind": "Type",
        "schedule": "Planification",
        "enabled": "Activée",
        "declared": "Déclarée",
        "stored": "Enregistrée",
        "last_run_status": "Dernière exécution",
        "last_run_started_at": "Début de la dernière exécution",
        "last_run_finished_at": "Fin de la dernière exécution",
        "last_run_error": "Erreur de la dernière exécution",
        "quarantined": "En quarantaine",
        "reason": "Motif",
        "position": "Position",
        "attempts": "Tentatives",
        "raw": "Enregistrement brut",
        "username": "Identifiant",
        "display_name": "Nom",
        "role": "Rôle",
        "level": "Niveau",
        "disabled_at": "Désactivé le",
        "interface_language": "Langue de l'interface",
        "work_languages": "Langues des clients",
        "why": "Pourquoi",
        "start": "Début",
        "need": "Besoin",
        "end": "Fin",
        "campaign_id": "Campagne",
        "id": "N°",
        "status": "Statut",
        "first_day": "Premier jour",
        "last_day": "Dernier jour",
        "teams": "Équipes",
        "scenarios": "Scénarios",
        "created_by": "Créée par",
        "picks": "Choix du coach",
        "quiz": "Dont défi quiz",
    },
}

# The parts of a case's notability score (curation.notability), as `score_<part>` columns.
PARTS: dict[str, dict[str, str]] = {
    "en": {
        "arc": "arc",
        "outcome": "change in the customer",
        "delicate": "delicate situation",
        "intensity": "intensity",
        "risk": "risks",
        "engagement": "reach",
        "reach": "reach",
        "novelty": "rare or rising",
        "recency": "recent",
    },
    "fr": {
        "arc": "arc",
        "outcome": "changement chez le client",
        "delicate": "situation délicate",
        "intensity": "intensité",
        "risk": "risques",
        "engagement": "portée",
        "reach": "portée",
        "novelty": "rare ou en hausse",
        "recency": "récence",
    },
}

# Columns whose cells are label values (translated cell by cell).
LABEL_COLUMNS = {
    "state",
    "scenario_state",
    "situation",
    "arc",
    "emotion",
    "sentiment",
    "role",
    "author_role",
    "gap",
    "flagged",
    "enabled",
    "declared",
    "stored",
    "last_run_status",
    "status",
    "channel",
    "group",
    "skill_axis",
    "language",
    "interface_language",
    "start",
    "need",
    "end",
}


@lru_cache(maxsize=4)
def _situations(path: str) -> dict[str, dict[str, str]]:
    return situation_names(path)


def _taxonomy_name(key: str, language: str) -> str | None:
    """The taxonomy's name of situation `key` in `language` (else in English); None when the
    taxonomy has no such situation."""
    names = _situations(str(get_settings().taxonomy_file)).get(key)
    return (names.get(language) or names.get("en") or key) if names else None


def situation_label(value: Any) -> str:
    """A situation's name in the current language: the taxonomy's label first (its "praise" is
    a situation there, which VALUES names as an arc)."""
    if value is None:
        return ""
    return _taxonomy_name(str(value), current_language()) or label(value)


def label(value: Any) -> str:
    """How `value` (a stored label) reads in the current language; as stored when unknown."""
    if value is None:
        return ""
    key = str(value)
    language = current_language()
    if key in VALUES[language]:
        return VALUES[language][key]
    return _taxonomy_name(key, language) or key


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array: not one missing value
        return False


def column(name: str) -> str:
    """A column's heading in the current language ("Score · change in the customer", "Change in
    the customer" for a score's part alone)."""
    language = current_language()
    if name.startswith("score_"):
        part = name.removeprefix("score_")
        return f"{COLUMNS[language]['score']} · {PARTS[language].get(part) or label(part)}"
    if name in PARTS[language] and name not in COLUMNS[language]:
        part = PARTS[language][name]
        return part[:1].upper() + part[1:]
    if name in COLUMNS[language]:
        return COLUMNS[language][name]
    return label(name)


# Columns whose cells list label values, ", " apart (a case's delicate situations).
LIST_COLUMNS = {"delicate", "work_languages"}


def named_values(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its label values named (label); the columns keep their stored names. Only
    text cells are names: a number under the same heading (a case's score part "delicate" or
    "arc") stays a number."""
    shown = frame.copy()
    for name in shown.columns:
        if str(name) in LIST_COLUMNS:
            shown[name] = shown[name].map(
                lambda v: ", ".join(map(label, v.split(", "))) if isinstance(v, str) and v else v
            )
            continue
        if str(name) in LABEL_COLUMNS or shown[name].dtype == bool:
            # A trend's groups are situations when grouped so (channels, sentiments... else).
            name_of = situation_label if str(name) in ("situation", "group") else label
            shown[name] = shown[name].map(
                lambda v, f=name_of: f(v) if isinstance(v, str | bool) and not _missing(v) else v
            )
    return shown


def localised(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with label values named (label) and its columns headed (column): for charts."""
    shown = named_values(frame)
    return shown.rename(columns={name: column(str(name)) for name in shown.columns})


def with_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its columns of days (Python dates, e.g. a campaign's first day) as pandas
    times at midnight: tables and CSVs then write them as their reader does (06/12/2026 in French),
    not as ISO text."""
    days = [
        name
        for name in frame.columns
        if frame[name].dtype == object
        and (kept := frame[name].dropna()).size
        and kept.map(lambda v: isinstance(v, date) and not isinstance(v, datetime)).all()
    ]
    if not days:
        return frame
    frame = frame.copy()
    for name in days:
        frame[name] = pd.to_datetime(frame[name])
    return frame


def is_daily(times: pd.Series) -> bool:
    """Whether a column of times holds days (each at midnight), to be written as dates."""
    kept = times.dropna()
    return bool(len(kept)) and bool((kept.dt.floor("D") == kept).all())


# A table's cells and headings, in pixels: about one character's width, a cell's padding, and
# what a sorted column's heading shows beside its name (the sort arrow and the menu's button).
CHAR_PX, CELL_PAD_PX, SORTED_HEADING_PX = 7, 16, 36


def number_width(heading: str, values: pd.Series, digits: str) -> int:
    """The width of a column of numbers: its widest number (and a thousands separator or two),
    or its heading with room for the sort arrow and the menu's button. Left to itself, the table
    fits a number column to its numbers and heading only, and once sorted the arrow and the
    button cut the heading ("Score" read "S")."""
    widest = max((len(digits % v) for v in values.dropna()), default=1)
    return CELL_PAD_PX + max(CHAR_PX * (widest + 2), CHAR_PX * len(heading) + SORTED_HEADING_PX)


def headings(frame: pd.DataFrame) -> dict[str, Any]:
    """A table's column_config giving each column its heading in the reader's language."""
    config: dict[str, Any] = {}
    for name in frame.columns:
        heading = column(str(name))
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            daily = is_daily(values)
            day = date_format()  # 06/12/2026 for a French reader, 2026-12-06 for another
            fmt = day if daily else f"{day} HH:mm"
            config[str(name)] = st.column_config.DatetimeColumn(heading, format=fmt)
        elif pd.api.types.is_float_dtype(values):
            # Scores to two decimals (sorted by the whole number); counts a missing value made
            # float stay whole.
            numbers = values.dropna()
            whole = bool(len(numbers)) and bool((numbers == numbers.round()).all())
            digits = "%d" if whole else "%.2f"
            config[str(name)] = st.column_config.NumberColumn(
                heading, format=digits, width=number_width(heading, values, digits)
            )
        elif pd.api.types.is_integer_dtype(values) and not pd.api.types.is_bool_dtype(values):
            config[str(name)] = st.column_config.NumberColumn(
                heading, width=number_width(heading, values, "%d")
            )
        else:
            config[str(name)] = st.column_config.Column(heading)
    return config
