"""The export formats (SCORM, cmi5, xAPI, quizzes, H5P, handouts) of a Selection of published
scenarios (store.bundles gathers them, redacted).

FORMATS is the one table of export formats that `casebook export` and the coach's pages both use
(export_file). A campaign's quiz is the one its players play (store.quiz), not one built anew.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from delivery import quiz
from delivery.cmi5 import cmi5_zip
from delivery.h5p import h5p_package, h5p_packages
from delivery.handout import handout
from delivery.model import Pack
from delivery.scorm import scorm12_zip, scorm2004_zip
from delivery.xapi import statements_file
from store import xapi
from store.bundles import POOL_SIZE, Selection, other_cases, scenario_bundles
from store.models import Campaign
from store.quiz import campaign_quiz
from store.users import record_audit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its file suffix (`pack_suffix` for a pack when it differs), media type
    and how it is built from a selection."""

    name: str
    suffix: str
    media_type: str
    build: Callable[[Session, Selection], bytes]
    help: str = ""
    pack_suffix: str | None = None

    def suffix_for(self, selection: Selection) -> str:
        """How the file of `selection` ends (a campaign's H5P export: a zip of .h5p packages)."""
        return (self.pack_suffix if selection.scenario_id is None else None) or self.suffix


def _not_yet(name: str) -> Callable[[Session, Selection], bytes]:
    def build(session: Session, selection: Selection) -> bytes:
        raise ValueError(f"the {name} export is not available yet")

    return build


def _from_pack(writer: Callable[[Pack], bytes]) -> Callable[[Session, Selection], bytes]:
    def build(session: Session, selection: Selection) -> bytes:
        return writer(selection.pack(session))

    return build


def _quiz(writer: Callable[[quiz.Quiz], bytes]) -> Callable[[Session, Selection], bytes]:
    """A campaign's quiz is the one its players play, kept from its first player or from this
    export on (store.quiz.campaign_quiz); any other selection's is built from its pack."""

    def build(session: Session, selection: Selection) -> bytes:
        if selection.campaign_id is None or selection != Selection(
            campaign_id=selection.campaign_id
        ):
            return writer(quiz.build_quiz(selection.pack(session)))
        return writer(campaign_quiz(session, campaign_id=selection.campaign_id, keep=True))

    return build


def _xapi_statements(session: Session, selection: Selection) -> bytes:
    """The outbox's statements (sent or not) about a scenario, counted in a campaign (the rule of
    its leaderboard, xapi.CampaignScope), about the published scenarios of a situation or level,
    or all of these at once; ValueError when there is none."""
    scenario_id, campaign_id = selection.scenario_id, selection.campaign_id
    ids = None
    if selection.situation is not None or selection.level is not None:
        bundles = scenario_bundles(
            session,
            scenario_id=scenario_id,
            campaign_id=campaign_id,
            situation=selection.situation,
            level=selection.level,
            with_peers=False,
        )
        ids = {b.scenario_id for b in bundles}
    found = xapi.statements(
        session, scenario_id=scenario_id, campaign_id=campaign_id, scenario_ids=ids
    )
    if not found:
        wanted = [f"about scenario {scenario_id}"] if scenario_id is not None else []
        if campaign_id is not None:
            scope = xapi.campaign_scope(session.get(Campaign, campaign_id))  # it exists: found
            wanted.append(f"counted in campaign {campaign_id} ({scope.described()})")
        if ids is not None:
            wanted.append(f"about the {len(ids)} published scenarios of the situation or level")
        raise ValueError(
            f"nothing to export: no xAPI statement {' and '.join(wanted)} "
            "(no answer, vote, comment, pick or quiz challenge yet)"
        )
    return statements_file(found)


def _h5p(session: Session, selection: Selection) -> bytes:
    """One scenario: its .h5p. A pack: a zip of one .h5p per scenario (an .h5p file holds one
    activity), each the file its own export (`--scenario ID`) gives, and a README.txt."""
    pack = selection.pack(session)
    if selection.scenario_id is not None:
        return h5p_package(pack)
    # each scenario branches on every other published case, as when it is exported alone
    pool = other_cases(session, limit=POOL_SIZE + 1)
    pools = {
        b.scenario_id: [o for o in pool if o.scenario_id != b.scenario_id][:POOL_SIZE]
        for b in pack.bundles
    }
    content, left_out = h5p_packages(pack, pools)
    if left_out:
        log.warning("h5p: scenarios %s left out: no branching simulation (README.txt)", left_out)
    return content


def _formats() -> dict[str, ExportFormat]:
    zip_type = "application/zip"
    formats = [
        ExportFormat("scorm12", ".zip", zip_type, _from_pack(scorm12_zip), "SCORM 1.2 package"),
        ExportFormat(
            "scorm2004", ".zip", zip_type, _from_pack(scorm2004_zip), "SCORM 2004 4th ed. package"
        ),
        ExportFormat("cmi5", ".zip", zip_type, _from_pack(cmi5_zip), "cmi5 course package"),
        ExportFormat("xapi", ".json", "application/json", _xapi_statements, "xAPI statements"),
        ExportFormat(
            "kahoot",
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _quiz(quiz.kahoot_xlsx),
            "Kahoot quiz spreadsheet",
        ),
        ExportFormat(
            "gift",
            ".gift.txt",
            "text/plain",
            _quiz(lambda q: quiz.gift(q).encode("utf-8")),
            "Moodle GIFT quiz",
        ),
        ExportFormat(
            "qti",
            ".zip",
            zip_type,
            _quiz(quiz.qti_package),
            "QTI 2.1 package",
        ),
        ExportFormat(
            "h5p",
            ".h5p",
            zip_type,
            _h5p,
            "H5P Branching Scenario (a pack: a zip of one .h5p per scenario)",
            pack_suffix=".zip",
        ),
        ExportFormat("handout", ".html", "text/html", _from_pack(handout), "printable handout"),
    ]
    return {f.name: f for f in formats}


FORMATS: dict[str, ExportFormat] = _formats()


def export_name(format: str, selection: Selection) -> str:
    """The file name of an export: casebook-scenario-12-scorm12.zip, casebook-campaign-3-cmi5.zip..."""
    spec = FORMATS.get(format)
    if spec is None:
        raise ValueError(f"unknown format {format!r}: choose one of {', '.join(FORMATS)}")
    if selection.scenario_id is not None:
        stem = f"scenario-{selection.scenario_id}"
    elif selection.campaign_id is not None:
        stem = f"campaign-{selection.campaign_id}"
    else:
        parts = [
            f"situation-{selection.situation}" if selection.situation is not None else "",
            f"level-{selection.level}" if selection.level is not None else "",
        ]
        stem = "-".join(p for p in parts if p) or "all"
    return f"casebook-{stem}-{format}{spec.suffix_for(selection)}"


def export_file(session: Session, *, format: str, selection: Selection) -> tuple[str, bytes, str]:
    """(file name, content, media type) of `selection` in `format`; ValueError for an unknown
    format, an empty selection or a format not available yet."""
    name = export_name(format, selection)
    if (
        selection.scenario_id is None
        and selection.campaign_id is None
        and (selection.situation is None and selection.level is None)
    ):
        raise ValueError("choose a scenario, a campaign, a situation or a level to export")
    spec = FORMATS[format]
    return name, spec.build(session, selection), spec.media_type


def export_for(
    session: Session, *, format: str, selection: Selection, actor: str
) -> tuple[str, bytes, str]:
    """export_file, audited (who exported what, in which format): the coach's pages use it."""
    name, content, media_type = export_file(session, format=format, selection=selection)
    entity, entity_id = (
        ("scenario", selection.scenario_id)
        if selection.scenario_id is not None
        else ("campaign", selection.campaign_id)
    )
    record_audit(
        session,
        actor=actor,
        action="delivery.export",
        entity=entity,
        entity_id=entity_id,
        detail={"format": format, "file": name, "bytes": len(content)},
    )
    return name, content, media_type
