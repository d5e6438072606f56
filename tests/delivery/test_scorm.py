"""SCORM 1.2 and 2004 4th edition packages: manifests valid against the official XSDs (lxml),
one SCO per scenario, the player's files inside, the scenario's data safe in its page."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from delivery.scorm import manifest_12, manifest_2004, scorm12_zip, scorm2004_zip
from tests.delivery.sample import HOSTILE, english, french, pack

XSD = Path(__file__).parent / "xsd"


class XmlNamespaceFix(etree.Resolver):
    """IMS's ims_xml.xsd (SCORM 1.2) binds the default namespace to the `xml` namespace, which
    libxml2 refuses ("xml namespace URI cannot be the default namespace"). The file on disk stays
    as shipped; the parser reads it without that one declaration, which no definition uses."""

    def resolve(self, url, pubid, context):
        if url.endswith("ims_xml.xsd"):
            text = Path(url.removeprefix("file://")).read_text(encoding="utf-8")
            fixed = text.replace('xmlns="http://www.w3.org/XML/1998/namespace"', "", 1)
            return self.resolve_string(fixed, context)
        return None


def schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    parser.resolvers.add(XmlNamespaceFix())
    return etree.XMLSchema(etree.parse(str(path), parser))


SCORM12 = XSD / "scorm12" / "casebook-scorm12.xsd"
SCORM2004 = XSD / "scorm2004_4th" / "casebook-scorm2004.xsd"


def validate(xsd: Path, document: bytes) -> etree._Element:
    root = etree.fromstring(document)
    checker = schema(xsd)
    assert checker.validate(root), checker.error_log
    return root


def opened(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


@pytest.mark.parametrize("build, xsd", [(scorm12_zip, SCORM12), (scorm2004_zip, SCORM2004)])
def test_a_pack_is_a_valid_package_with_one_sco_per_scenario(build, xsd):
    content = build(pack(english(12), french(13), pack_id="campaign-3"))
    archive = opened(content)
    names = set(archive.namelist())
    assert {
        "imsmanifest.xml",
        "scenario-12.html",
        "scenario-13.html",
        "player.js",
        "player.css",
    } == names
    root = validate(xsd, archive.read("imsmanifest.xml"))
    ns = {"cp": root.nsmap[None]}
    assert root.get("identifier") == "casebook-campaign-3"
    items = root.findall(".//cp:organization/cp:item", ns)
    assert [i.get("identifierref") for i in items] == ["sco-12", "sco-13"]
    assert [i.findtext("cp:title", namespaces=ns) for i in items] == [
        "Late parcel, third contact",
        "Double facture",
    ]
    # every file the manifest names is in the zip, and every file of the zip is named
    hrefs = {f.get("href") for f in root.iterfind(".//cp:file", ns)}
    assert hrefs == names - {"imsmanifest.xml"}
    scos = [
        r
        for r in root.iterfind(".//cp:resource", ns)
        if any(k.endswith("}scormtype") or k.endswith("}scormType") for k in r.attrib)
        and "sco" in r.attrib.values()
    ]
    assert [r.get("href") for r in scos] == ["scenario-12.html", "scenario-13.html"]


def test_the_manifests_name_their_scorm_version():
    one = pack()
    root12 = validate(SCORM12, manifest_12(one))
    root2004 = validate(SCORM2004, manifest_2004(one))
    assert root12.findtext("{*}metadata/{*}schemaversion") == "1.2"
    assert root2004.findtext("{*}metadata/{*}schemaversion") == "2004 4th Edition"


def test_an_invalid_manifest_is_refused_by_the_schemas():
    # the check can fail: a manifest without resources is not valid SCORM 2004
    root = etree.fromstring(manifest_2004(pack()))
    root.remove(root.find("{*}resources"))
    assert not schema(SCORM2004).validate(root)
    # and the ADL namespace is checked too: a SCO type that SCORM 1.2 does not know is refused
    bad = manifest_12(pack()).replace(b'adlcp:scormtype="sco"', b'adlcp:scormtype="page"')
    assert b"page" in bad and not schema(SCORM12).validate(etree.fromstring(bad))


def page_data(page: str) -> dict:
    found = re.search(
        r'<script id="casebook-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert found
    return json.loads(found.group(1))


def test_a_scenario_page_carries_the_redacted_case_safely():
    archive = opened(scorm2004_zip(pack(english(12), french(13))))
    page = archive.read("scenario-12.html").decode("utf-8")
    # the hostile text never closes the data's script early, yet reads back intact
    assert "window.pwned" not in page.split('type="application/json">')[0]
    assert page.count("</script>") == 2
    data = page_data(page)
    assert data["runtime"] == "scorm2004" and data["lang"] == "en"
    assert HOSTILE in data["scenario"]["turns"][0]["text"]
    assert data["scenario"]["real_reply"].startswith("So sorry")
    assert [p["coach_pick"] for p in data["scenario"]["peers"]] == [True, False]
    assert data["ui"]["submit"].startswith("Send my reply")
    french_page = archive.read("scenario-13.html").decode("utf-8")
    assert '<html lang="fr">' in french_page
    assert page_data(french_page)["ui"]["finish"] == "Terminer"
    # no file of the package reaches outside it (no CDN, no server)
    for name in archive.namelist():
        text = archive.read(name).decode("utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), name


def test_the_same_pack_gives_the_same_bytes():
    assert scorm12_zip(pack()) == scorm12_zip(pack())
