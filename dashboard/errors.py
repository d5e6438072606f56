"""The store's refusals, said in the reader's language.

The store and the review rules refuse a bad request with a plain English sentence (the commands
print it as it is). A page shows the ones its forms can trigger through `message(exc)`: each
English sentence below is matched whole, and its French twin takes the same values. A sentence
not listed here is shown as it is (a developer's message, never a user's mistake).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dashboard.i18n import current_language, t
from dashboard.labels import VALUES
from store.users import LANGUAGE_NAMES

# (the store's English sentence as a pattern, its French twin); groups carry the values across.
_CODES = {name: code for code, name in LANGUAGE_NAMES.items()}  # "English" -> "en"


def _french_languages(names: str) -> str:
    """The store's "English and French" as French says it: "anglais et en français"."""
    return " et en ".join(VALUES["fr"].get(_CODES.get(n, ""), n) for n in names.split(" and "))


# The French twin is a replacement (groups as \1) or a function of the match.
FRENCH: list[tuple[str, str | Callable[[re.Match[str]], str]]] = [
    (r"the answer is empty", "la réponse est vide"),
    (r"the comment is empty", "le commentaire est vide"),
    (r"the scenario is not published", "le scénario n'est pas publié"),
    (r"you have already answered this scenario", "vous avez déjà répondu à ce scénario"),
    (r"you cannot vote for your own answer", "vous ne pouvez pas voter pour votre propre réponse"),
    (r"you have already voted for this answer", "vous avez déjà voté pour cette réponse"),
    (
        r"only a coach can pick the best answers",
        "seul un coach peut choisir les meilleures réponses",
    ),
    (r"start the quiz challenge first", "commencez d'abord le défi quiz"),
    (r"the title is empty", "le titre est vide"),
    (r"say why: a move needs a reason", "dites pourquoi : un changement d'état demande une raison"),
    (r"say why: an edit needs a reason", "dites pourquoi : une modification demande une raison"),
    (r"write the model answer before publishing", "écrivez la réponse modèle avant de publier"),
    (r"scenario (\d+) does not exist", r"le scénario \1 n'existe pas"),
    (r"campaign (\d+) does not exist", r"la campagne \1 n'existe pas"),
    (r"case (\d+) does not exist", r"le cas \1 n'existe pas"),
    (r"comment (\d+) does not exist", r"le commentaire \1 n'existe pas"),
    (r"comment (\d+) has not been analysed yet", r"le commentaire \1 n'a pas encore été analysé"),
    (r"response (\d+) does not exist", r"la réponse \1 n'existe pas"),
    (
        r"scenario (\d+) is a candidate: move it to in_review \(with a reason\) to edit it",
        r"le scénario \1 est candidat : passez-le en relecture (avec une raison) pour le modifier",
    ),
    (
        r"scenario (\d+) is in campaign '(.*)': its language cannot change",
        r"le scénario \1 est dans la campagne « \2 » : sa langue ne peut pas changer",
    ),
    (r"a turn of the conversation is empty", r"un tour de la conversation est vide"),
    (r"this question was already answered", r"cette question a déjà reçu une réponse"),
    (
        r"the answer is longer than (\d+) characters",
        r"la réponse dépasse \1 caractères",
    ),
    (
        r"the comment is longer than (\d+) characters",
        r"le commentaire dépasse \1 caractères",
    ),
    (
        r"scenario (\d+) is (\w+): move it back before editing",
        r"le scénario \1 est à l'état \2 : ramenez-le en arrière avant de le modifier",
    ),
    (
        r"scenario (\d+) is (\w+): a scenario is reviewed and approved before it is published "
        r"\(allowed from here: (.*)\)",
        r"le scénario \1 est à l'état \2 : un scénario est relu et approuvé avant d'être publié "
        r"(possible depuis cet état : \3)",
    ),
    (
        r"scenario (\d+) is (\w+): only published scenarios are exported",
        r"le scénario \1 est à l'état \2 : seuls les scénarios publiés s'exportent",
    ),
    (r"scenario (\d+) is not published", r"le scénario \1 n'est pas publié"),
    (
        r"cannot move from (\w+) to (\w+) \(allowed: (.*)\)",
        r"passage de \1 à \2 impossible (possible : \3)",
    ),
    (r"the campaign needs a name", "la campagne doit avoir un nom"),
    (r"give the campaign's dates a time zone", "donnez un fuseau horaire aux dates de la campagne"),
    (r"the campaign must end after it starts", "la campagne doit finir après son début"),
    (r"name at least one team", "nommez au moins une équipe"),
    (r"choose at least one scenario", "choisissez au moins un scénario"),
    (r"no such scenario: (.*)", r"scénario inconnu : \1"),
    (r"this campaign is not running", "cette campagne n'est pas en cours"),
    (r"this campaign is not for your team", "cette campagne n'est pas pour votre équipe"),
    (r"you have already played this quiz challenge", "vous avez déjà joué ce quiz"),
    (r"no such question: (.*)", r"question inconnue : \1"),
    (r"no published scenario matches (.*)", r"aucun scénario publié ne correspond à \1"),
    (
        r"choose a scenario, a campaign, a situation or a level to export",
        "choisissez un scénario, une campagne, une situation ou un niveau à exporter",
    ),
    (
        r"a campaign's scenarios share one language \(its quiz is the same for everyone\): these "
        r"are in (.+); make one campaign a language",
        lambda m: (
            "les scénarios d'une campagne partagent une langue (son quiz est le même pour "
            f"tous) : ceux-ci sont en {_french_languages(m[1])} ; faites une campagne par langue"
        ),
    ),
    (
        r"nothing to export: the pack has no scenario",
        "rien à exporter : la sélection n'a aucun scénario",
    ),
    (
        r"nothing to export: no xAPI statement .* \(no answer, vote, comment, pick or quiz "
        r"challenge yet\)",
        "rien à exporter : aucune déclaration xAPI dans cette sélection (ni réponse, ni vote, ni "
        "commentaire, ni choix, ni défi quiz pour l'instant)",
    ),
    (
        r"no branching simulation: the scenario needs a real reply and replies of other published "
        r"cases \(in its language\) to choose from",
        "pas de simulation à embranchements : le scénario demande une vraie réponse et des réponses "
        "d'autres cas publiés (dans sa langue) parmi lesquelles choisir",
    ),
    (
        r"no branching simulation in any of the pack's (\d+) scenarios: each needs a real reply "
        r"and replies of other published cases \(in its language\)",
        r"pas de simulation à embranchements dans les \1 scénarios de la sélection : chacun demande "
        r"une vraie réponse et des réponses d'autres cas publiés (dans sa langue)",
    ),
    (r"level must be 1, 2 or 3, not (.*)", r"le niveau doit être 1, 2 ou 3, pas \1"),
    (r"the two passwords differ", "les deux mots de passe diffèrent"),
    (
        r"password must have at least (\d+) characters",
        r"le mot de passe doit avoir au moins \1 caractères",
    ),
    (
        r"password must have at most (\d+) characters",
        r"le mot de passe doit avoir au plus \1 caractères",
    ),
    (
        r"password is one of the most common passwords: choose another",
        "ce mot de passe est l'un des plus courants : choisissez-en un autre",
    ),
    (
        r"password must not contain the username or the name",
        "le mot de passe ne doit contenir ni l'identifiant ni le nom",
    ),
    (
        # zxcvbn's hint (in English) is left out of the French sentence.
        r"password is too easy to guess(?: \(.*\))?: use a longer phrase of unrelated words",
        "le mot de passe est trop facile à deviner : prenez une phrase plus longue, de mots sans "
        "rapport entre eux",
    ),
    (r"username must not be empty", "l'identifiant ne doit pas être vide"),
    (r"username (.*) is already taken", r"l'identifiant \1 est déjà pris"),
    (r"the display name must not be empty", "le nom ne doit pas être vide"),
    (
        r"no quiz question can be made: the scenarios need a real reply or a need, and other "
        r"published cases in their language to draw wrong answers from",
        "aucune question ne peut être posée : les scénarios doivent avoir une vraie réponse ou un "
        "besoin, et d'autres cas publiés dans leur langue doivent fournir les mauvaises réponses",
    ),
]
Twins = list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]]


def compiled(
    table: list[tuple[str, str | Callable[[re.Match[str]], str]]], flags: int = 0
) -> Twins:
    """A table of (English pattern, French twin) with its patterns compiled."""
    return [(re.compile(english, flags), twin) for english, twin in table]


def twin_of(said: str, twins: Twins) -> str:
    """`said`'s French twin: the first pattern matching it whole, with its values carried
    across (a replacement with \\1, or a function of the match); `said` itself when none does."""
    for pattern, twin in twins:
        if m := pattern.fullmatch(said):
            return twin(m) if callable(twin) else m.expand(twin)
    return said


_COMPILED = compiled(FRENCH)


def translated(exc: BaseException) -> str:
    """The refusal `exc` as a sentence in the reader's language."""
    said = str(exc)
    return twin_of(said, _COMPILED) if current_language() == "fr" else said


def message(exc: BaseException) -> str:
    """The refusal `exc` in the reader's language, inside the page's "could not do that" line."""
    return t("error", message=translated(exc))
