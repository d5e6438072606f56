"""A printable handout per scenario: one self-contained HTML file (styles inline, print CSS) in the
scenario's language. The case and the question come first with room to write; the real reply, the
coach's answer and the best peer answers follow on a page of their own, for after the exercise.
Print it, or "Save as PDF" from any browser.
"""

from __future__ import annotations

from html import escape

from delivery.model import Pack, ScenarioBundle, Turn
from delivery.player import asset_files
from delivery.texts import ui


def _turns(turns: tuple[Turn, ...]) -> str:
    return "".join(
        f'<div class="turn {"customer" if t.is_customer else "agent"}">'
        f'<div class="speaker">{escape(t.speaker)}</div><div class="text">{escape(t.text)}</div></div>'
        for t in turns
    )


def _scenario(bundle: ScenarioBundle, first: bool) -> str:
    t = ui(bundle.language)
    facts = [
        (t["level"], str(bundle.level)),
        (t["skill"], t.get(bundle.skill_axis, bundle.skill_axis)),
        (t["situation"], bundle.situation_shown),
        (t["channel"], bundle.channel_shown),
    ]
    if bundle.customer_wants:
        facts.append((t["wants"], bundle.customer_wants))
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
    cues = "".join(f"<li>{escape(c)}</li>" for c in bundle.cues)
    objectives = "".join(
        f"<li><strong>{escape(t.get(o.axis, o.axis))}</strong>: {escape(o.text)}</li>"
        if o.axis
        else f"<li>{escape(o.text)}</li>"
        for o in bundle.objectives
    )
    answers = []
    if bundle.real_reply:
        followed = (
            f"<h3>{escape(t['what_followed'])}</h3><div class='turns'>{_turns(bundle.outcome)}</div>"
            if bundle.outcome
            else ""
        )
        answers.append(
            f"<section><h2>{escape(t['real_reply'])}</h2>"
            f"<p class='real'>{escape(bundle.real_reply)}</p>{followed}</section>"
        )
    if bundle.coach_answer:
        answers.append(
            f"<section><h2>{escape(t['coach_answer'])}</h2>"
            f"<p class='coach'>{escape(bundle.coach_answer)}</p></section>"
        )
    if bundle.peer_answers:
        peers = "".join(
            f"<li><p>{escape(p.text)}</p><small>"
            f"{escape(t['coach_pick']) + ' · ' if p.coach_pick else ''}{p.votes} {escape(t['votes'])}"
            "</small></li>"
            for p in bundle.peer_answers
        )
        answers.append(f"<section><h2>{escape(t['peer_answers'])}</h2><ol>{peers}</ol></section>")
    brk = "" if first else " page-break"
    cues_part = f"<h3>{escape(t['cues'])}</h3><ul class='cues'>{cues}</ul>" if cues else ""
    objectives_part = (
        f"<section><h2>{escape(t['objectives'])}</h2><ul>{objectives}</ul></section>"
        if objectives
        else ""
    )
    question = escape(bundle.question or t["question"])
    footer = (
        f"{escape(t['handout_footer'])} {escape(t['scenario'])} "
        f"{bundle.scenario_id}, v{bundle.version}."
    )
    return (
        f"<article class='scenario{brk}' lang='{escape(bundle.language)}'>\n"
        f"<h1>{escape(bundle.title)}</h1>\n"
        f"<section><h2>{escape(t['case'])}</h2><dl class='facts'>{dl}</dl>\n"
        f"<div class='turns'>{_turns(bundle.turns)}</div>{cues_part}</section>\n"
        f"<section><h2>{question}</h2><div class='write-in'></div></section>\n"
        f"{objectives_part}\n"
        f"<div class='page-break'>{''.join(answers)}</div>\n"
        f"<p class='footer'><small>{footer}</small></p>\n"
        "</article>"
    )


def handout_html(pack: Pack) -> str:
    """The handout of every scenario of the pack, one after the other, each from a new page."""
    if not pack.bundles:
        raise ValueError("nothing to export: the pack has no scenario")
    css = asset_files()["player.css"].decode("utf-8")
    body = "\n".join(_scenario(b, i == 0) for i, b in enumerate(pack.bundles))
    return f"""<!DOCTYPE html>
<html lang="{escape(pack.language)}">
<head><meta charset="utf-8"><title>{escape(pack.title)}</title>
<style>{css}
.write-in {{ min-height: 9rem; }}
.footer {{ color: #57606a; }}
</style></head>
<body><main>
{body}
</main></body></html>
"""


def handout(pack: Pack) -> bytes:
    """handout_html as UTF-8 bytes (what `casebook export --format handout` writes)."""
    return handout_html(pack).encode("utf-8")
