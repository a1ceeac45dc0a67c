"""Licences, citation and versions: LICENSE, LICENSE-DATA and CITATION.cff agree with data/dataset.toml and
the package metadata; CITATION.cff validates against the CFF 1.2.0 schema (cffconvert); /cite answers in
every format it advertises (read back by the formats' own parsers) and 406 otherwise; /health and every
answer name the release beside the content version; the explorer's Cite view and footer show both."""
from __future__ import annotations

import csv
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import bibtexparser
import orjson
import pytest
import rispy
from ruamel.yaml import YAML
from test_explorer import page  # noqa: F401  (the explorer's page fixture; the browser is conftest's)

from graph.config import CHECKOUT, DATA_DIR, DEFAULT_BASE
from graph.errors import BuildError
from graph.metadata import SEMVER, citation, citation_cff, licence_spdx, load_metadata

META = load_metadata()
CITE_TYPES = {"text": "text/plain", "bibtex": "application/x-bibtex", "ris": "application/x-research-info-systems",
              "csl-json": "application/vnd.citationstyles.csl+json"}


def cffconvert(path: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "cffconvert"
    return subprocess.run([str(exe), "--validate", "-i", str(path)], capture_output=True, text=True, timeout=60,
                          cwd=path.parent)


# ---- the files a clone shows --------------------------------------------------------------------------

def test_citation_cff_is_valid_cff_1_2_0():
    done = cffconvert(CHECKOUT / "CITATION.cff")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid according to schema version 1.2.0" in done.stdout


def test_a_release_citation_cff_with_its_content_version_is_valid_too(tmp_path):
    path = tmp_path / "CITATION.cff"
    path.write_text(citation_cff(META, content_version="0123456789ab"), encoding="utf-8")
    done = cffconvert(path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "content-version:0123456789ab" in path.read_text(encoding="utf-8")


def test_citation_cff_says_what_dataset_toml_says():
    text = (CHECKOUT / "CITATION.cff").read_text(encoding="utf-8")
    assert text == citation_cff(META), "CITATION.cff is stale: regenerate it with graph.metadata.citation_cff"
    cff = YAML(typ="safe").load(text)
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["version"] == META.version and str(cff["date-released"]) == META.issued.isoformat()
    assert cff["authors"] == [{"name": META.creator}]
    assert cff["license"] == [licence_spdx(META.licence), META.code_licence] == ["CC-BY-4.0", "MIT"]
    assert cff["url"] == f"{DEFAULT_BASE}dataset"
    preferred = cff["preferred-citation"]
    assert preferred["type"] == "data" and preferred["version"] == META.version and preferred["year"] == META.year
    assert preferred["license"] == "CC-BY-4.0"
    # the seed paper, as the sources table gives it
    [paper] = cff["references"]
    row = next(r for r in _rows("sources.csv") if r["id"] == META.source)
    assert paper["title"] == row["title"] and paper["notes"] == row["citation"]
    assert [(a["family-names"], a["given-names"]) for a in paper["authors"]] == [("Huang", "Yaxin"), ("Ding", "Qiang")]
    assert row["publisher"].startswith("Huang Yaxin and Ding Qiang")


def test_licence_files_and_package_metadata_agree():
    code = (CHECKOUT / "LICENSE").read_text(encoding="utf-8")
    data = (CHECKOUT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and META.code_licence == "MIT" and "LICENSE-DATA" in code
    assert "CC BY 4.0" in data and META.licence in data and "Attribution 4.0 International" in data
    assert len(data) < 5000  # a notice that names and links the licence, not its legal code
    project = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == f"{META.code_licence} AND {licence_spdx(META.licence)}"
    assert project["license-files"] == ["LICENSE", "LICENSE-DATA"]
    assert "cffconvert>=2.0" in project["optional-dependencies"]["test"]
    # the ontology states the same licence
    assert f"dcterms:license <{META.licence}>" in (CHECKOUT / "ontology" / "pakg.ttl").read_text(encoding="utf-8")


def test_readme_tells_how_to_cite_and_the_bump_rule():
    readme = (CHECKOUT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How to cite", 1)[1].split("\n## ", 1)[0]
    assert citation(META, "", DEFAULT_BASE).bibtex in section  # the current release's citation, as /cite gives it
    assert META.version in section and "/cite" in section and "CITATION.cff" in section
    for rule in ("minor", "major", "patch", "CHANGES"):
        assert rule in section


# ---- data/dataset.toml and graph.metadata ---------------------------------------------------------------

def _rows(name: str) -> list[dict[str, str]]:
    rows = []
    for path in sorted(DATA_DIR.rglob(name)):
        if "build" not in path.relative_to(DATA_DIR).parts[:-1]:
            with path.open(encoding="utf-8", newline="") as f:
                rows += list(csv.DictReader(f))
    return rows


def test_dataset_toml_holds_what_the_data_says():
    assert SEMVER.match(META.version)
    assert META.temporal_start == min(int(r["start_year"]) for r in _rows("programmes.csv") if r["start_year"])
    assert META.source in {r["id"] for r in _rows("sources.csv")}
    assert META.keywords_zh and META.keywords_en and META.title_zh and META.title_en
    assert META.repository is None  # no repository URL is stated anywhere in the project
    assert load_metadata() is META  # read once


@pytest.mark.parametrize("change, key, message", [
    (lambda t: t.replace('version = "1.0.0"', 'version = "1.0"'), "version", "not a semantic version"),
    (lambda t: re.sub(r"(?m)^creator = .*$", "", t), "creator", "missing"),
    (lambda t: t + '\nauthor = "someone"\n', "author", "unknown key"),
    (lambda t: re.sub(r"(?m)^temporal_start = .*$", 'temporal_start = "1979"', t), "temporal_start", "not a year"),
    (lambda t: re.sub(r"(?m)^keywords_zh = .*$", "keywords_zh = []", t), "keywords_zh", "non-empty list"),
    (lambda t: re.sub(r"(?m)^licence = .*$", 'licence = "CC BY"', t), "licence", "not an http(s) URL"),
])
def test_a_bad_metadata_file_is_refused_naming_file_and_key(tmp_path, change, key, message):
    text = (DATA_DIR / "dataset.toml").read_text(encoding="utf-8")
    (tmp_path / "dataset.toml").write_text(change(text), encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        load_metadata(tmp_path)
    [problem] = raised.value.problems
    assert problem.path.endswith("dataset.toml") and problem.column_name == key and message in problem.message


def test_a_missing_metadata_file_is_refused(tmp_path):
    with pytest.raises(BuildError, match="dataset.toml.*cannot read"):
        load_metadata(tmp_path)


def test_each_form_of_the_citation_reads_back():
    found = citation(META, "0123456789ab", "https://example.org/kg/")
    url = "https://example.org/kg/dataset"
    assert found.text.startswith(f"{META.creator} ({META.year}). {META.title_en}")
    for needle in (META.version, "0123456789ab", url, "CC BY 4.0", META.title_zh):
        assert needle in found.text
    [entry] = bibtexparser.loads(found.bibtex).entries
    assert entry["ENTRYTYPE"] == "misc" and entry["year"] == str(META.year) and entry["version"] == META.version
    assert entry["url"] == url and entry["author"] == "{The pakg project}" and "0123456789ab" in entry["note"]
    [record] = rispy.loads(found.ris)
    assert record["type_of_reference"] == "DATA" and record["authors"] == [META.creator]
    assert record["year"] == str(META.year) and record["edition"] == META.version and record["urls"] == [url]
    assert all(line == "ER  -" or re.match(r"^[A-Z][A-Z0-9]  - .", line) for line in found.ris.split("\r\n") if line)
    csl = found.csl_json
    assert csl["type"] == "dataset" and csl["version"] == META.version and csl["URL"] == url
    assert csl["issued"] == {"date-parts": [[META.issued.year, META.issued.month, META.issued.day]]}


def test_bibtex_escapes_what_latex_reads_as_commands():
    meta = type(META)(**{**META.__dict__, "title_en": "R&D 100% of #1_a {b}", "creator": "A & B"})
    [entry] = bibtexparser.loads(citation(meta, "x", DEFAULT_BASE).bibtex).entries
    assert r"R\&D 100\% of \#1\_a \{b\}" in entry["title"] and entry["author"] == r"{A \& B}"


# ---- the service ---------------------------------------------------------------------------------------

def test_health_and_every_answer_name_the_release_beside_the_content_version(client):
    health = client.get("/health").json()
    assert health["release"] == META.version and re.fullmatch(r"[0-9a-f]{12}", health["version"])
    for path in ("/health", "/pairings?limit=1", "/cite", "/id/pairing/PR-0153", "/id/pairing/nope", "/openapi.json"):
        r = client.get(path)
        assert r.headers["x-dataset-release"] == META.version, path
        assert r.headers["x-dataset-version"] == health["version"], path
    r = client.get("/health", headers={"Origin": "https://example.org"})
    assert "X-Dataset-Release" in r.headers["access-control-expose-headers"]


@pytest.mark.parametrize("accept, name", [
    (None, "text"), ("*/*", "text"), ("text/html,application/xhtml+xml,*/*;q=0.8", "text"), ("text/plain", "text"),
    ("application/x-bibtex", "bibtex"), ("text/x-bibtex", "bibtex"),
    ("application/x-research-info-systems", "ris"), ("application/vnd.citationstyles.csl+json", "csl-json"),
    ("application/citeproc+json", "csl-json"), ("text/plain;q=0.5, application/x-bibtex", "bibtex"),
    ("application/*", "bibtex"),
])
def test_cite_negotiates_each_format(client, accept, name):
    r = client.get("/cite", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == CITE_TYPES[name]
    assert r.headers["link"] == f'<{META.licence}>; rel="license"'
    assert META.version in r.text and r.headers["x-dataset-version"] in r.text
    assert "accept" in r.headers["vary"].lower()


def test_cite_by_format_parameter_and_each_body_parses(client):
    version = client.get("/health").json()["version"]
    bodies = {}
    for name, media in CITE_TYPES.items():
        r = client.get("/cite", params={"format": name}, headers={"Accept": "text/plain"})  # format wins
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
        bodies[name] = r.content.decode("utf-8")
    expected = citation(META, version, DEFAULT_BASE)
    assert bodies["text"] == expected.text + "\n"
    assert bodies["bibtex"] == expected.bibtex and bibtexparser.loads(bodies["bibtex"]).entries
    assert bodies["ris"] == expected.ris and rispy.loads(bodies["ris"])
    assert orjson.loads(bodies["csl-json"]) == [expected.csl_json]
    assert client.get("/cite?format=bib").headers["content-type"].startswith("application/x-bibtex")


def test_cite_answers_406_with_the_supported_types(client):
    for r in (client.get("/cite", headers={"Accept": "image/png"}), client.get("/cite?format=xml"),
              client.get("/cite", headers={"Accept": "text/plain;q=0, application/pdf"})):
        assert r.status_code == 406
        assert r.json()["supported"] == list(CITE_TYPES.values()) and r.json()["detail"]


def test_cached_answers_keep_the_formats_apart(client):
    for _ in range(2):
        for name, media in CITE_TYPES.items():
            r = client.get("/cite", headers={"Accept": media})
            assert r.headers["content-type"].split(";")[0] == media


def test_openapi_declares_cite_and_its_formats(client):
    operation = client.get("/openapi.json").json()["paths"]["/cite"]["get"]
    assert set(operation["responses"]["200"]["content"]) == set(CITE_TYPES.values())
    assert "406" in operation["responses"]
    [param] = [p for p in operation["parameters"] if p["name"] == "format"]
    enum = next(part["enum"] for part in (param["schema"], *param["schema"].get("anyOf", [])) if "enum" in part)
    assert enum == list(CITE_TYPES)


# ---- the explorer ----------------------------------------------------------------------------------------

def test_the_explorer_cite_view_and_footer_in_both_languages(page):  # noqa: F811
    page.goto(page.base + "/#/cite")
    page.locator("section.cite[data-format=bibtex] pre").wait_for()
    version = page.locator("td[data-content-version]").inner_text()
    assert page.locator("td[data-release]").inner_text() == META.version and re.fullmatch(r"[0-9a-f]{12}", version)
    assert page.locator("h1").inner_text() == "如何引用本数据集"
    for name in ("text", "bibtex", "ris"):
        text = page.locator(f"section.cite[data-format={name}] pre").inner_text()
        assert META.version in text and version in text, name
    assert page.locator("section.cite[data-format=bibtex] pre").inner_text().startswith("@misc{")
    footer = page.locator("footer #version")
    footer.locator("a[href='#/cite']").wait_for()
    assert META.version in footer.inner_text() and version in footer.inner_text() and "引用" in footer.inner_text()
    page.click("[data-lang=en]")
    page.wait_for_function("() => document.querySelector('h1').innerText === 'How to cite this dataset'")
    assert "Cite" in footer.inner_text() and META.version in footer.inner_text()
    page.goto(page.base + "/#/search")
    footer.locator("a[href='#/cite']").click()
    page.locator("section.cite[data-format=ris] pre").wait_for()
