"""Quiz challenges from real cases, Kahoot-style (pure: a Pack in, questions and files out).

Two kinds of question per published scenario, in its language:

- "reply": which reply turned this customer around (or, when the case did not turn around,
  which reply the advisor really sent)? The right answer is the case's real reply; the wrong
  ones are real replies of other cases (the least offered so far in the quiz first, then other
  situations).
- "want": what does this customer want? The right answer is the case's need; the wrong ones
  are the needs of cases of other situations.

Every text is the redacted one the pack holds. Choices are drawn with a seed, so the same pack
gives the same quiz (everyone in a campaign plays the same questions). Each choice also fits
Kahoot's 75 characters distinctly (kahoot_answers): two choices never read the same.

Writers: `kahoot_xlsx` (Kahoot's import template), `gift` (Moodle GIFT, which Captivate also
imports) and `qti_package` (IMS QTI 2.1 items and test in an IMS content package).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from casebook_data.redacted import words_said
from casebook_data.taxonomy_names import what_wanted
from delivery.model import OtherCase, Pack, ScenarioBundle

KAHOOT_QUESTION_MAX = 120
KAHOOT_ANSWER_MAX = 75
KAHOOT_TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)
CHOICES = 4
DEFAULT_TIME_LIMIT = 30

TEXTS = {
    "en": {
        "reply_turned": "Which reply turned this customer around?",
        "reply_real": "Which reply did the advisor really send?",
        "want": "What does this customer want?",
        "title": "Quiz challenge",
    },
    "fr": {
        "reply_turned": "Quelle réponse a reconquis ce client ?",
        "reply_real": "Quelle réponse le conseiller a-t-il vraiment envoyée ?",
        "want": "Que veut ce client ?",
        "title": "Défi quiz",
    },
}


@dataclass(frozen=True)
class QuizQuestion:
    """One multiple-choice question: `choices[correct]` is right."""

    key: str  # "reply-12", "want-12": unique in a quiz
    kind: str  # "reply" or "want"
    scenario_id: int
    language: str
    prompt: str
    excerpt: str  # what the customer wrote (redacted), shown with the prompt
    choices: tuple[str, ...]
    correct: int
    time_limit: int = DEFAULT_TIME_LIMIT

    @property
    def answer(self) -> str:
        return self.choices[self.correct]


@dataclass(frozen=True)
class Quiz:
    """A quiz challenge: its questions, in order."""

    id: str
    title: str
    language: str
    questions: tuple[QuizQuestion, ...]


def _flat(text: str) -> str:
    """`text` on one line, its runs of white space one space."""
    return " ".join((text or "").split())


def shorten(text: str, limit: int) -> str:
    """`text` on one line in at most `limit` characters, cut at a word with an ellipsis."""
    flat = _flat(text)
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def need(text: str) -> str:
    """A customer's need without the scenario's lead-in ("The customer wants: "), capitalised."""
    stripped = what_wanted(text)
    return stripped[:1].upper() + stripped[1:]


def _excerpt(bundle: ScenarioBundle) -> str:
    """The customer's turn that says most about their problem: the most words once redaction's
    placeholders are left out, the first of equals. A later "My email is [EMAIL]." says nothing
    of what they want nor of what a reply should answer."""
    customer = bundle.customer_turns or tuple(t for t in bundle.all_turns if t.is_customer)
    if not customer:
        return ""
    return max(customer, key=lambda t: words_said(t.text)).text


def _shared_words(a: list[str], b: list[str]) -> int:
    """How many words `a` and `b` open with alike (case aside)."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x.casefold() != y.casefold():
            break
        n += 1
    return n


CONTEXT_WORDS = 3  # of the shared opening kept before where choices differ


def kahoot_answers(choices: Sequence[str]) -> list[str]:
    """The choices as Kahoot's cells of 75 characters, cut at a word. One team's replies often
    open alike ("Oh no [PERSON], I'd be upset too. Thank you for telling us..."): a choice that
    would read like another once cut starts after the words it shares with the others
    ("…I've refunded the $32.40 in full…", its last few shared words kept for context)."""
    words = [_flat(c).split(" ") for c in choices]
    cut = [shorten(c, KAHOOT_ANSWER_MAX) for c in choices]
    folded = [c.casefold() for c in cut]
    out = []
    for i, own in enumerate(words):
        if folded.count(folded[i]) == 1:
            out.append(cut[i])
            continue
        shared = max(_shared_words(own, other) for j, other in enumerate(words) if j != i)
        rest = " ".join(own[max(0, shared - CONTEXT_WORDS) :])
        out.append("…" + shorten(rest, KAHOOT_ANSWER_MAX - 1) if rest else cut[i])
    return out


def _distinct(choices: list[str]) -> bool:
    cells = [c.casefold() for c in kahoot_answers(choices)]
    return len(set(cells)) == len(cells)


def _pick(
    rng: random.Random,
    right: str,
    pool: list[tuple[str, str]],
    situation: str,
    offered: Counter[str],
) -> list[str]:
    """Up to CHOICES - 1 distractors from (text, situation) pairs, each distinct from the right
    answer and from each other, in full and in Kahoot's cells (kahoot_answers): the texts the
    quiz has offered least so far first (`offered`, updated), so that no wrong answer comes back
    question after question, where a player would learn it is wrong; then other situations
    first."""
    seen = {_flat(right).casefold()}
    candidates = [(text, _flat(text).casefold(), where) for text, where in pool]
    rng.shuffle(candidates)
    candidates.sort(key=lambda c: (offered[c[1]], c[2] == situation))  # stable: shuffled equals
    out: list[str] = []
    for text, key, _ in candidates:
        if not key or key in seen or not _distinct([right, *out, text]):
            continue
        seen.add(key)
        out.append(text)
        offered[key] += 1
        if len(out) == CHOICES - 1:
            break
    return out


def _question(
    rng: random.Random,
    *,
    key: str,
    kind: str,
    bundle: ScenarioBundle,
    prompt: str,
    right: str,
    pool: list[tuple[str, str]],
    offered: Counter[str],
    time_limit: int,
) -> QuizQuestion | None:
    wrong = _pick(rng, right, pool, bundle.situation, offered)
    if not wrong:
        return None  # nothing to choose between
    choices = [right, *wrong]
    rng.shuffle(choices)
    return QuizQuestion(
        key=key,
        kind=kind,
        scenario_id=bundle.scenario_id,
        language=bundle.language,
        prompt=prompt,
        excerpt=_excerpt(bundle),
        choices=tuple(choices),
        correct=choices.index(right),
        time_limit=time_limit,
    )


def build_quiz(
    pack: Pack,
    *,
    seed: str | None = None,
    time_limit: int = DEFAULT_TIME_LIMIT,
    kinds: tuple[str, ...] = ("reply", "want"),
) -> Quiz:
    """The quiz of a pack: per scenario a "reply" and a "want" question (when it has a real
    reply, a need and other cases to draw wrong answers from). ValueError if none can be made."""
    if time_limit not in KAHOOT_TIME_LIMITS:
        raise ValueError(f"time limit must be one of {KAHOOT_TIME_LIMITS}, not {time_limit}")
    others: list[OtherCase | ScenarioBundle] = [*pack.others, *pack.bundles]
    questions: list[QuizQuestion] = []
    offered: dict[str, Counter[str]] = {"reply": Counter(), "want": Counter()}
    for bundle in pack.bundles:
        texts = TEXTS.get(bundle.language, TEXTS["en"])
        peers = [
            o
            for o in others
            if o.scenario_id != bundle.scenario_id and o.language == bundle.language
        ]
        rng = random.Random(f"{seed or pack.id}:{bundle.scenario_id}")
        if "reply" in kinds and bundle.real_reply:
            turned = bundle.arc == "recovery"
            made = _question(
                rng,
                key=f"reply-{bundle.scenario_id}",
                kind="reply",
                bundle=bundle,
                prompt=texts["reply_turned" if turned else "reply_real"],
                right=bundle.real_reply,
                pool=[(o.real_reply or "", o.situation) for o in peers],
                offered=offered["reply"],
                time_limit=time_limit,
            )
            if made:
                questions.append(made)
        if "want" in kinds and need(bundle.customer_wants):
            made = _question(
                rng,
                key=f"want-{bundle.scenario_id}",
                kind="want",
                bundle=bundle,
                prompt=texts["want"],
                right=need(bundle.customer_wants),
                pool=[(need(o.customer_wants), o.situation) for o in peers],
                offered=offered["want"],
                time_limit=time_limit,
            )
            if made:
                questions.append(made)
    if not questions:
        raise ValueError(
            "no quiz question can be made: the scenarios need a real reply or a need, and other "
            "published cases in their language to draw wrong answers from"
        )
    language = pack.language
    return Quiz(
        id=pack.id,
        title=f"{TEXTS.get(language, TEXTS['en'])['title']}: {pack.title}",
        language=language,
        questions=tuple(questions),
    )


def quiz_to_json(quiz: Quiz) -> dict[str, Any]:
    """The quiz as JSON values (a campaign keeps the quiz its first player got)."""
    return asdict(quiz)


def quiz_from_json(value: dict[str, Any]) -> Quiz:
    """The quiz quiz_to_json wrote."""
    questions = tuple(
        QuizQuestion(**{**q, "choices": tuple(q["choices"])}) for q in value["questions"]
    )
    return Quiz(value["id"], value["title"], value["language"], questions)


# ---------------------------------------------------------------------------- Kahoot


KAHOOT_HEADERS = (
    "#",
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
)
KAHOOT_HEADER_ROW = 8  # as in Kahoot's template: title and instructions above, questions below


def kahoot_question(q: QuizQuestion) -> str:
    """The question as Kahoot shows it: the prompt and the customer's words, in 120 characters."""
    if not q.excerpt:
        return shorten(q.prompt, KAHOOT_QUESTION_MAX)
    room = KAHOOT_QUESTION_MAX - len(q.prompt) - 3  # ' "' and '"'
    if room < 15:
        return shorten(q.prompt, KAHOOT_QUESTION_MAX)
    return f'{q.prompt} "{shorten(q.excerpt, room)}"'


def kahoot_xlsx(quiz: Quiz) -> bytes:
    """The quiz as Kahoot's import spreadsheet (its template's columns and limits)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet["B2"] = "Quiz template"
    sheet["B2"].font = Font(bold=True, size=14)
    sheet["B3"] = quiz.title
    sheet["B4"] = (
        "Add questions, at least two answer alternatives, time limit and choose correct answers "
        "(at least one). Have fun creating your awesome quiz!"
    )
    sheet["B5"] = (
        "Remember: questions have a limit of 120 characters and answers can have 75 characters max."
    )
    for column, header in enumerate(KAHOOT_HEADERS, start=1):
        cell = sheet.cell(row=KAHOOT_HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
    for i, q in enumerate(quiz.questions, start=1):
        row = KAHOOT_HEADER_ROW + i
        sheet.cell(row=row, column=1, value=i)
        sheet.cell(row=row, column=2, value=kahoot_question(q))
        for j, cell in enumerate(kahoot_answers(q.choices[:CHOICES])):
            sheet.cell(row=row, column=3 + j, value=cell)
        sheet.cell(row=row, column=7, value=q.time_limit)
        sheet.cell(row=row, column=8, value=str(q.correct + 1))
    for column, width in zip("ABCDEFGH", (4, 60, 40, 40, 40, 40, 18, 18), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------- GIFT

_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def gift_escape(text: str) -> str:
    """Text safe in GIFT: the special characters ~ = # { } : (and \\) escaped, one line."""
    return _GIFT_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def gift(quiz: Quiz) -> str:
    """The quiz in Moodle's GIFT format (multiple choice, one right answer each)."""
    lines = [f"// {gift_escape(quiz.title)}", f"$CATEGORY: casebook/{quiz.id}", ""]
    for q in quiz.questions:
        stem = gift_escape(q.prompt) + (f' "{gift_escape(q.excerpt)}"' if q.excerpt else "")
        lines.append(f"::{gift_escape(q.key)}::[plain]{stem} {{")
        for i, choice in enumerate(q.choices):
            lines.append(f"\t{'=' if i == q.correct else '~'}{gift_escape(choice)}")
        lines += ["}", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- QTI 2.1

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI_LOCATION = f"{QTI_NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"


def _identifier(text: str) -> str:
    """A QTI identifier (an XML NCName) from a key."""
    clean = re.sub(r"[^A-Za-z0-9_.-]", "_", text)
    return clean if re.match(r"[A-Za-z_]", clean) else f"Q_{clean}"


def qti_item(q: QuizQuestion) -> str:
    """One question as a QTI 2.1 assessmentItem with a single-choice choiceInteraction."""
    ids = [f"choice_{i + 1}" for i in range(len(q.choices))]
    simple = "\n".join(
        f'        <simpleChoice identifier="{cid}">{escape(text)}</simpleChoice>'
        for cid, text in zip(ids, q.choices, strict=True)
    )
    excerpt = f"\n    <blockquote><p>{escape(q.excerpt)}</p></blockquote>" if q.excerpt else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="{QTI_NS}" xmlns:xsi="{XSI}" xsi:schemaLocation="{QTI_LOCATION}"
    identifier={quoteattr(_identifier(q.key))} title={quoteattr(shorten(q.prompt, 200))} xml:lang="{q.language}"
    adaptive="false" timeDependent="true">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier">
    <correctResponse>
      <value>{ids[q.correct]}</value>
    </correctResponse>
  </responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">
    <defaultValue>
      <value>0</value>
    </defaultValue>
  </outcomeDeclaration>
  <itemBody>{excerpt}
    <choiceInteraction responseIdentifier="RESPONSE" shuffle="false" maxChoices="1">
      <prompt>{escape(q.prompt)}</prompt>
{simple}
    </choiceInteraction>
  </itemBody>
  <responseProcessing template="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"/>
</assessmentItem>
"""


def qti_test(quiz: Quiz) -> str:
    """The quiz as a QTI 2.1 assessmentTest: one linear part, the items in order, each timed."""
    refs = "\n".join(
        f'      <assessmentItemRef identifier={quoteattr(_identifier(q.key))} href="items/{_identifier(q.key)}.xml">'
        f'\n        <timeLimits maxTime="{q.time_limit}"/>\n      </assessmentItemRef>'
        for q in quiz.questions
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<assessmentTest xmlns="{QTI_NS}" xmlns:xsi="{XSI}" xsi:schemaLocation="{QTI_LOCATION}"
    identifier={quoteattr(_identifier(quiz.id))} title={quoteattr(quiz.title)}>
  <testPart identifier="part_1" navigationMode="linear" submissionMode="individual">
    <assessmentSection identifier="section_1" title={quoteattr(quiz.title)} visible="true">
{refs}
    </assessmentSection>
  </testPart>
</assessmentTest>
"""


def qti_manifest(quiz: Quiz) -> str:
    """The IMS content package manifest listing the test and its items."""
    items = "\n".join(
        f'    <resource identifier="res_{_identifier(q.key)}" type="imsqti_item_xmlv2p1" '
        f'href="items/{_identifier(q.key)}.xml">\n'
        f'      <file href="items/{_identifier(q.key)}.xml"/>\n    </resource>'
        for q in quiz.questions
    )
    deps = "\n".join(
        f'      <dependency identifierref="res_{_identifier(q.key)}"/>' for q in quiz.questions
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="{CP_NS}" xmlns:xsi="{XSI}" identifier={quoteattr("manifest_" + _identifier(quiz.id))}
    xsi:schemaLocation="{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd">
  <organizations/>
  <resources>
    <resource identifier="res_test" type="imsqti_test_xmlv2p1" href="test.xml">
      <file href="test.xml"/>
{deps}
    </resource>
{items}
  </resources>
</manifest>
"""


def qti_package(quiz: Quiz) -> bytes:
    """The quiz as a QTI 2.1 content package (zip): imsmanifest.xml, test.xml, items/*.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("imsmanifest.xml", qti_manifest(quiz))
        z.writestr("test.xml", qti_test(quiz))
        for q in quiz.questions:
            z.writestr(f"items/{_identifier(q.key)}.xml", qti_item(q))
    return out.getvalue()
