"""cmi5 course packages: cmi5.xml (the course structure) at the root of a zip, one AU per scenario.

Each AU is the same player page as in SCORM, in its cmi5 runtime: at launch it reads the LMS's
parameters (endpoint, fetch, actor, registration, activityId), gets its auth token from the fetch
URL, reads LMS.LaunchData (context template, launch mode, masteryScore), then sends initialized,
answered (the free-text reply, an "allowed" statement), completed, passed or failed, terminated.
The LMS itself sends launched. moveOn and masteryScore are in cmi5.xml.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from delivery.model import Pack, ScenarioBundle
from delivery.player import page_name
from delivery.scorm import MASTERY, package_files, zip_files

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
IRI_BASE = "urn:casebook"
MOVE_ON = "Completed"  # the LMS counts an AU done once the learner finished it; the score still says passed or failed
LANG_TAGS = {"en": "en-US", "fr": "fr-FR"}


def course_iri(pack: Pack, base: str = IRI_BASE) -> str:
    """The course's IRI (stable for a pack)."""
    return f"{base}:course:{pack.id}"


def au_iri(bundle: ScenarioBundle, base: str = IRI_BASE) -> str:
    """An AU's IRI: the activity id its statements are about."""
    return f"{base}:scenario:{bundle.scenario_id}"


def _text(parent: ET.Element, tag: str, text: str, language: str) -> None:
    node = ET.SubElement(parent, f"{{{NS}}}{tag}")
    string = ET.SubElement(node, f"{{{NS}}}langstring", {"lang": LANG_TAGS.get(language, language)})
    string.text = text


def _description(bundle: ScenarioBundle) -> str:
    wants = f" {bundle.customer_wants}" if bundle.customer_wants else ""
    return f"{bundle.situation_shown} ({bundle.channel_shown}).{wants}"


def course_structure(
    pack: Pack, *, base: str = IRI_BASE, mastery: float = MASTERY, move_on: str = MOVE_ON
) -> bytes:
    """cmi5.xml: the course and one AU per scenario (relative URLs: the pages are in the zip)."""
    if not pack.bundles:
        raise ValueError("nothing to export: the pack has no scenario")
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}courseStructure")
    course = ET.SubElement(root, f"{{{NS}}}course", {"id": course_iri(pack, base)})
    _text(course, "title", pack.title, pack.language)
    names = ", ".join(b.title for b in pack.bundles)
    _text(course, "description", f"Casebook: {names}"[:2000], pack.language)
    for bundle in pack.bundles:
        au = ET.SubElement(
            root,
            f"{{{NS}}}au",
            {
                "id": au_iri(bundle, base),
                "moveOn": move_on,
                "masteryScore": f"{mastery:.2f}",
                "launchMethod": "AnyWindow",
                "activityType": "http://adlnet.gov/expapi/activities/simulation",
            },
        )
        _text(au, "title", bundle.title, bundle.language)
        _text(au, "description", _description(bundle), bundle.language)
        ET.SubElement(au, f"{{{NS}}}url").text = page_name(bundle)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def cmi5_zip(pack: Pack, branching: bool = True) -> bytes:
    """A cmi5 course package (zip) of the pack: cmi5.xml, the AU pages and the player's files."""
    files = package_files(pack, "cmi5", b"", branching)
    return zip_files({"cmi5.xml": course_structure(pack), **files})
