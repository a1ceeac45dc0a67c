"""Releases, the diff between two builds, and the dataset's metadata in every export.

Two builds are made once for the module: the project's tables, and a copy of them with one added pairing,
one corrected year and one removed source (and the release version bumped, as the rule asks); the
diff must list exactly those, and a release of the second against a release of the first must have
checksums that match and a CHANGES.md that says the same.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest

from graph import formats
from graph.build import build, write_build
from graph.config import DATA_DIR, DEFAULT_BASE
from graph.diff import diff, of_build, read_dataset
from graph.formats import Use
from graph.metadata import load_metadata
from graph.release import BOM, SUMS, bump, check_sums, required_bump, write_release

B = DEFAULT_BASE
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
ADDED, CORRECTED, REMOVED = "PR-9999", "PR-0001", "S-chinadaily-com-cn"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _citing(data: Path, source: str) -> list[tuple[Path, str, str]]:
    """(table, row id, column) of every cell that names ``source``."""
    found = []
    for path in sorted(data.rglob("*.csv")):
        if "build" in path.parts or path.name == "sources.csv":
            continue
        rows = _rows(path)
        for row in rows[1:]:
            for column, value in zip(rows[0], row, strict=False):
                if source in value.replace(";", " ").split():
                    found.append((path, row[0], column))
    return found


@pytest.fixture(scope="module")
def changed_data(tmp_path_factory) -> dict:
    """A copy of the tables with one pairing added, one start year corrected and one source removed (and
    the citations of it), the release version bumped; what was changed, read from the tables."""
    root = tmp_path_factory.mktemp("changed") / "data"
    shutil.copytree(DATA_DIR, root, ignore=shutil.ignore_patterns("build"))
    pairings = root / "reference" / "pairings.csv"
    rows = _rows(pairings)
    head = rows[0]
    col = {c: head.index(c) for c in head}
    corrected = next(r for r in rows[1:] if r[0] == CORRECTED)
    old_year = corrected[col["start_year"]]
    assert old_year and corrected[col["start_basis"]] in ("", "stated"), corrected
    new_year = str(int(old_year) + 1)
    corrected[col["start_year"]] = new_year
    model = next(r for r in rows[1:] if r[0] == CORRECTED)
    added = dict.fromkeys(head, "")
    added.update(
        id=ADDED,
        programme=model[col["programme"]],
        supporter=model[col["supporter"]],
        recipient=model[col["recipient"]],
        fields="medical",
        mode=model[col["mode"]],
        start_year=old_year,  # a year the data already has: no new year resource
        start_basis="stated",
        sources=model[col["sources"]].split(";")[0],
        confidence="medium",
    )
    _write(pairings, [*rows, [added[c] for c in head]])
    citing = _citing(root, REMOVED)
    assert citing, f"{REMOVED} is cited somewhere (else pick another source)"
    for path, ident, column in citing:
        table = _rows(path)
        i = table[0].index(column)
        for row in table[1:]:
            if row[0] == ident:
                row[i] = ";".join(s for s in row[i].split(";") if s != REMOVED)
                assert row[i], f"{ident} keeps a source"
        _write(path, table)
    sources = root / "reference" / "sources.csv"
    _write(sources, [r for r in _rows(sources) if r[0] != REMOVED])
    toml = root / "dataset.toml"
    release = load_metadata().version
    major, minor, _ = release.split(".")
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(f'version = "{release}"', f'version = "{major}.{int(minor) + 1}.0"'),
        encoding="utf-8",
    )
    return {
        "dir": root,
        "old_year": old_year,
        "new_year": new_year,
        "added": added,
        "citing": sorted({(p.stem, i) for p, i, _ in citing}),
    }


@pytest.fixture(scope="module")
def changed_build(changed_data):
    return build(changed_data["dir"], B)


@pytest.fixture(scope="module")
def the_diff(built, changed_build):
    return diff(of_build(built), of_build(changed_build))


KIND = {"pairings": "pairing", "programmes": "programme", "actors": "actor", "instruments": "instrument",
        "figures": "figure", "coverage": "coverage", "gaps": "gap"}


def test_the_diff_lists_exactly_the_three_changes(the_diff, changed_data):
    d = the_diff
    assert d.dataset == []  # same metadata on the dataset node (the hash triples are left out)
    status = {r.resource: r.status for r in d.resources}
    citing = {B + f"{KIND[table]}/{ident}" for table, ident in changed_data["citing"]}
    assert status == {
        B + f"pairing/{ADDED}": "added",
        B + f"source/{REMOVED}": "removed",
        B + f"pairing/{CORRECTED}": "changed",
        **dict.fromkeys(citing, "changed"),
    }
    by = {r.resource: r for r in d.resources}
    # the corrected year: one value replaced by another, nothing else of the pairing
    corrected = by[B + f"pairing/{CORRECTED}"]
    assert [p.property for p in corrected.properties] == ["http://www.w3.org/2006/time#hasBeginning"]
    change = corrected.properties[0]
    assert change.corrected()
    assert change.removed[0].term == f"<{B}year/{changed_data['old_year']}>"
    assert change.added[0].term == f"<{B}year/{changed_data['new_year']}>"
    assert corrected.sources  # with the resource's sources
    # the removed source: every fact of it removed; the resources that cited it lose only that citation
    assert all(p.removed and not p.added for p in by[B + f"source/{REMOVED}"].properties)
    for iri in citing:
        (only,) = by[iri].properties
        assert only.property == "http://www.w3.org/ns/prov#wasDerivedFrom"
        assert [v.term for v in only.removed] == [f"<{B}source/{REMOVED}>"] and not only.added
    # the added pairing: its facts, with its source
    added = by[B + f"pairing/{ADDED}"]
    assert all(p.added and not p.removed for p in added.properties)
    assert added.sources == [B + f"source/{changed_data['added']['sources']}"]
    assert required_bump(d) == "minor"


def test_the_diff_of_a_build_with_itself_is_empty(built):
    same = diff(of_build(built), of_build(built))
    assert same.empty() and same.triples_added == same.triples_removed == 0
    assert "No facts were added, removed or changed" in same.markdown()
    assert required_bump(same) == "none"


def test_pakg_diff_on_two_nquads_files(tmp_path, built, changed_build, capsys):
    import pakg.cli

    old, new = tmp_path / "old.nq", tmp_path / "new.nq"
    write_build(built, old)
    write_build(changed_build, new)
    assert pakg.cli.main(["diff", str(old), str(new), "--format", "json", "--exit-code"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert {r["resource"] for r in answer["resources"] if r["status"] != "changed"} == {
        B + f"pairing/{ADDED}",
        B + f"source/{REMOVED}",
    }
    assert pakg.cli.main(["diff", str(old), str(old), "--exit-code"]) == 0
    assert "No facts were added" in capsys.readouterr().out
    assert pakg.cli.main(["diff", str(old), str(tmp_path / "missing.nq")]) == 2
    assert "no such file" in capsys.readouterr().err


# ---- releases --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def releases(tmp_path_factory, built, changed_data, changed_build):
    root = tmp_path_factory.mktemp("releases")
    first = write_release(root / "first", DATA_DIR, B, result=built)
    second = write_release(root / "second", changed_data["dir"], B, previous=first.path, result=changed_build)
    return first, second


def test_a_release_holds_the_folder_the_issue_asks_for(releases):
    first, _ = releases
    files = set(first.files)
    release = first.release
    for ext in ("nq", "trig", "ttl", "jsonld"):
        assert f"pakg-{release}.{ext}" in files
    for name in ("graphml", "gexf", "json"):
        assert f"network/support-institution.{name}" in files
    for table in ("nodes", "edges"):
        plain = first.path / f"network/support-institution-{table}.csv"
        excel = first.path / f"network/excel/support-institution-{table}.csv"
        assert not plain.read_bytes().startswith(BOM)
        assert excel.read_bytes() == BOM + plain.read_bytes()  # Excel reads the BOM as UTF-8
    for name in ("README.md", "CITATION.cff", "CHANGES.md", SUMS, "LICENSE-DATA", "csv-metadata.json"):
        assert name in files
    assert "tables/reference/pairings.csv" in files
    readme = (first.path / "README.md").read_text(encoding="utf-8")
    for needed in (release, first.version, LICENCE, "## How to cite", "@misc{", "## Counts", "## Coverage",
                   "## Known gaps"):
        assert needed in readme, needed
    cff = (first.path / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{release}"' in cff and first.version in cff
    csvw = json.loads((first.path / "csv-metadata.json").read_text(encoding="utf-8"))
    assert csvw["dc:license"]["@id"] == LICENCE and csvw["dcat:version"] == release
    assert {t["url"] for t in csvw["tables"]} == {f for f in files if f.endswith(".csv")}
    assert "No previous release" in (first.path / "CHANGES.md").read_text(encoding="utf-8")


def test_the_checksums_of_a_release_match_its_files(releases, tmp_path):
    for done in releases:
        listed = (done.path / SUMS).read_text(encoding="utf-8").splitlines()
        names = []
        for line in listed:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256((done.path / name).read_bytes()).hexdigest() == digest, name
            names.append(name)
        on_disk = sorted(p.relative_to(done.path).as_posix() for p in done.path.rglob("*") if p.is_file())
        assert sorted([*names, SUMS]) == on_disk  # every file but SHA256SUMS itself, none missing
        assert check_sums(done.path) == []
    copy = tmp_path / "tampered"
    shutil.copytree(releases[0].path, copy)
    (copy / "README.md").write_text("changed", encoding="utf-8")
    (copy / "extra.txt").write_text("not listed", encoding="utf-8")
    assert check_sums(copy) == ["README.md", "extra.txt"]


def test_changes_md_is_the_diff_against_the_previous_release(releases, changed_data):
    first, second = releases
    assert second.changes is not None and second.warnings == []
    text = (second.path / "CHANGES.md").read_text(encoding="utf-8")
    assert f"`pairing/{ADDED}`" in text.split("## Added")[1].split("## Removed")[0]
    assert f"`source/{REMOVED}`" in text.split("## Removed")[1].split("## Changed")[0]
    changed = text.split("## Changed")[1]
    assert f"`pairing/{CORRECTED}`" in changed
    assert f"`year/{changed_data['old_year']}` → `year/{changed_data['new_year']}`" in changed
    assert "## The dataset" in text and f"`\"{first.release}\"` → `\"{second.release}\"`" in text
    assert {r.resource for r in second.changes.resources} == {
        r.resource for r in diff(read_dataset(first.path), read_dataset(second.path)).resources
    }
    assert f"Since {first.release}" in (second.path / "README.md").read_text(encoding="utf-8").split("## Changes")[1]


def test_a_used_folder_is_refused_and_the_bump_rule_is_read(releases, built):
    first, _ = releases
    with pytest.raises(Exception, match="not an empty folder"):
        write_release(first.path, DATA_DIR, B, result=built)
    assert bump("1.0.0", "1.0.0") == "none" and bump("1.0.0", "1.1.0") == "minor"


# ---- the metadata in every export served ----------------------------------------------------------


@pytest.mark.parametrize("fmt", formats.names(Use.EXPORT))
def test_every_rdf_export_states_licence_and_versions(client, fmt):
    r = client.get("/export", params={"format": fmt})
    assert r.status_code == 200
    spec = formats.get(Use.EXPORT, fmt)
    dataset = ox.NamedNode(B + "dataset")
    said = {
        (q.predicate.value, q.object.value)
        for q in ox.parse(r.content, format=spec.rdf())
        if q.subject == dataset
    }
    assert (DCTERMS + "license", LICENCE) in said
    assert (DCAT + "version", load_metadata().version) in said
    assert (DCTERMS + "hasVersion", r.headers["X-Dataset-Version"]) in said
    assert any(p == DCTERMS + "bibliographicCitation" for p, _ in said)
    assert LICENCE in r.headers["Link"] and r.headers["Pakg-Licence"] == LICENCE


def test_the_export_of_one_source_states_them_too(client):
    r = client.get("/export", params={"format": "turtle", "graph": "S-huang-ding"})
    assert r.status_code == 200
    assert LICENCE.encode() in r.content and load_metadata().version.encode() in r.content


@pytest.mark.parametrize("fmt", formats.names(Use.NETWORK))
def test_every_network_file_states_licence_and_versions(client, fmt):
    release = load_metadata().version
    r = client.get("/network", params={"format": fmt})
    assert r.status_code == 200
    version = r.headers["X-Dataset-Version"]
    assert r.headers["Pakg-Licence"] == LICENCE and f'<{LICENCE}>; rel="license"' in r.headers["Link"]
    if fmt in ("node-link", "cytoscape"):
        body = r.json()
        meta = body["graph"] if fmt == "node-link" else body["data"]
        assert meta["licence"] == LICENCE and meta["release"] == release and meta["dataset_version"] == version
        assert version in meta["citation"]
    elif fmt == "graphml":
        root = ElementTree.fromstring(r.content)
        ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
        names = {k.get("id"): k.get("attr.name") for k in root.findall("g:key[@for='graph']", ns)}
        data = {names[d.get("key")]: d.text for d in root.findall("g:graph/g:data", ns)}
        assert data["licence"] == LICENCE and data["release"] == release and data["dataset_version"] == version
        assert version in data["citation"]
    elif fmt == "gexf":
        root = ElementTree.fromstring(r.content)
        ns = {"x": root.tag[1:].split("}")[0]}
        description = root.find("x:meta/x:description", ns).text
        assert LICENCE in description and f"release {release}" in description and version in description
        assert root.find("x:meta/x:creator", ns).text == load_metadata().creator
    elif fmt == "geojson":  # the FeatureCollection's foreign member ``pakg``
        meta = r.json()["pakg"]
        assert meta["licence"] == LICENCE and meta["release"] == release and meta["dataset_version"] == version
        assert version in meta["citation"]
    else:  # CSV: the headers say it, the table stays a table
        table = list(csv.reader(io.StringIO(r.text)))
        assert table[0][:2] == ["source", "target"] and all(len(row) == len(table[0]) for row in table)
