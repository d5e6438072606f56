"""SCORM 1.2 and SCORM 2004 4th edition packages of a scenario or a pack.

A package is a zip with imsmanifest.xml at its root (valid against the ADL/IMS schemas: see
tests/delivery/xsd), one SCO per scenario (its page from delivery.player) and the player's shared
files as an asset resource. For a pack, the organization lists one item per scenario in order;
SCORM 2004 lets the learner choose among them or go through them in order (controlMode).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

from delivery.branching import simulation_data
from delivery.model import Pack
from delivery.player import asset_files, page_name, scenario_page

XSI = "http://www.w3.org/2001/XMLSchema-instance"
CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
MASTERY = 0.6  # what the self-assessment must reach to pass, when the LMS does not say


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _sub(
    parent: ET.Element, tag: str, text: str | dict[str, str] | None = None, **attrs: str
) -> ET.Element:
    """A child element; `text` is its text, or a dict of attributes with namespaced names."""
    if isinstance(text, dict):
        attrs, text = {**text, **attrs}, None
    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = text
    return node


def _identifier(pack: Pack) -> str:
    # xs:ID: a letter first, then letters, digits, dots, hyphens and underscores
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in pack.id)
    return f"casebook-{safe}"


def manifest_12(pack: Pack) -> bytes:
    """imsmanifest.xml for SCORM 1.2 (IMS CP 1.1.2 + ADL CP 1.2)."""
    ET.register_namespace("", CP12)
    ET.register_namespace("adlcp", ADLCP12)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(
        _q(CP12, "manifest"),
        {
            "identifier": _identifier(pack),
            "version": "1",
            _q(XSI, "schemaLocation"): f"{CP12} imscp_rootv1p1p2.xsd {ADLCP12} adlcp_rootv1p2.xsd",
        },
    )
    metadata = _sub(root, _q(CP12, "metadata"))
    _sub(metadata, _q(CP12, "schema"), "ADL SCORM")
    _sub(metadata, _q(CP12, "schemaversion"), "1.2")
    organizations = _sub(root, _q(CP12, "organizations"), default="org")
    organization = _sub(organizations, _q(CP12, "organization"), identifier="org")
    _sub(organization, _q(CP12, "title"), pack.title[:200])
    resources = _sub(root, _q(CP12, "resources"))
    for bundle in pack.bundles:
        sid = bundle.scenario_id
        item = _sub(
            organization,
            _q(CP12, "item"),
            identifier=f"item-{sid}",
            identifierref=f"sco-{sid}",
            isvisible="true",
        )
        _sub(item, _q(CP12, "title"), bundle.title[:200])
        _sub(item, _q(ADLCP12, "masteryscore"), str(round(MASTERY * 100)))
        resource = _sub(
            resources,
            _q(CP12, "resource"),
            {
                "identifier": f"sco-{sid}",
                "type": "webcontent",
                _q(ADLCP12, "scormtype"): "sco",
                "href": page_name(bundle),
            },
        )
        _sub(resource, _q(CP12, "file"), href=page_name(bundle))
        _sub(resource, _q(CP12, "dependency"), identifierref="player")
    shared = _sub(
        resources,
        _q(CP12, "resource"),
        {"identifier": "player", "type": "webcontent", _q(ADLCP12, "scormtype"): "asset"},
    )
    for name in asset_files():
        _sub(shared, _q(CP12, "file"), href=name)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def manifest_2004(pack: Pack) -> bytes:
    """imsmanifest.xml for SCORM 2004 4th edition (IMS CP 1.1.4 + ADL CP/SEQ/NAV 1.3, IMS SS)."""
    for prefix, ns in (
        ("", CP),
        ("adlcp", ADLCP),
        ("adlseq", ADLSEQ),
        ("adlnav", ADLNAV),
        ("imsss", IMSSS),
        ("xsi", XSI),
    ):
        ET.register_namespace(prefix, ns)
    root = ET.Element(
        _q(CP, "manifest"),
        {
            "identifier": _identifier(pack),
            "version": "1",
            _q(XSI, "schemaLocation"): (
                f"{CP} imscp_v1p1.xsd {ADLCP} adlcp_v1p3.xsd {ADLSEQ} adlseq_v1p3.xsd "
                f"{ADLNAV} adlnav_v1p3.xsd {IMSSS} imsss_v1p0.xsd"
            ),
        },
    )
    metadata = _sub(root, _q(CP, "metadata"))
    _sub(metadata, _q(CP, "schema"), "ADL SCORM")
    _sub(metadata, _q(CP, "schemaversion"), "2004 4th Edition")
    organizations = _sub(root, _q(CP, "organizations"), default="org")
    organization = _sub(organizations, _q(CP, "organization"), identifier="org")
    _sub(organization, _q(CP, "title"), pack.title[:200])
    resources = _sub(root, _q(CP, "resources"))
    for bundle in pack.bundles:
        sid = bundle.scenario_id
        item = _sub(
            organization, _q(CP, "item"), identifier=f"item-{sid}", identifierref=f"sco-{sid}"
        )
        _sub(item, _q(CP, "title"), bundle.title[:200])
        sequencing = _sub(item, _q(IMSSS, "sequencing"))
        objectives = _sub(sequencing, _q(IMSSS, "objectives"))
        primary = _sub(
            objectives,
            _q(IMSSS, "primaryObjective"),
            objectiveID=f"scenario-{sid}",
            satisfiedByMeasure="true",
        )
        _sub(primary, _q(IMSSS, "minNormalizedMeasure"), str(MASTERY))
        resource = _sub(
            resources,
            _q(CP, "resource"),
            {
                "identifier": f"sco-{sid}",
                "type": "webcontent",
                _q(ADLCP, "scormType"): "sco",
                "href": page_name(bundle),
            },
        )
        _sub(resource, _q(CP, "file"), href=page_name(bundle))
        _sub(resource, _q(CP, "dependency"), identifierref="player")
    sequencing = _sub(organization, _q(IMSSS, "sequencing"))
    _sub(sequencing, _q(IMSSS, "controlMode"), choice="true", flow="true")
    shared = _sub(
        resources,
        _q(CP, "resource"),
        {"identifier": "player", "type": "webcontent", _q(ADLCP, "scormType"): "asset"},
    )
    for name in asset_files():
        _sub(shared, _q(CP, "file"), href=name)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def zip_files(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # reproducible bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def package_files(
    pack: Pack, runtime: str, manifest: bytes, branching: bool = True
) -> dict[str, bytes]:
    """The files of a package: its manifest, one page per scenario (with its branching simulation
    when the case has one and `branching`) and the player's files."""
    if not pack.bundles:
        raise ValueError("nothing to export: the pack has no scenario")
    files: dict[str, bytes] = {"imsmanifest.xml": manifest} if manifest else {}
    for bundle in pack.bundles:
        simulation = simulation_data(bundle, pack.others) if branching else None
        page = scenario_page(bundle, runtime, branching=simulation)
        files[page_name(bundle)] = page.encode("utf-8")
    files.update(asset_files())
    return files


def scorm12_zip(pack: Pack, branching: bool = True) -> bytes:
    """A SCORM 1.2 package (zip) of the pack."""
    return zip_files(package_files(pack, "scorm12", manifest_12(pack), branching))


def scorm2004_zip(pack: Pack, branching: bool = True) -> bytes:
    """A SCORM 2004 4th edition package (zip) of the pack."""
    return zip_files(package_files(pack, "scorm2004", manifest_2004(pack), branching))
