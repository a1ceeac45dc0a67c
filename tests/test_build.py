"""The build rejects bad rows with file:line:column and what is wrong, and leaves nothing half-built."""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.build import build, write_build
from graph.config import DATA_DIR
from graph.errors import BuildError
from graph.store import Engine
from graph.versions import write_store


@pytest.fixture()
def data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("build"))
    return target


def set_cell(data: Path, table: str, row_id: str, column: str, value: str, key: str = "id") -> int:
    """Change one cell; return the file line of the row (the header is line 1)."""
    path = data / table
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        header = list(rows[0].keys())
    for index, row in enumerate(rows):
        if row[key] == row_id:
            row[column] = value
            line = index + 2
            break
    else:
        raise AssertionError(f"{row_id} not in {table}")
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return line


def column_of(data: Path, table: str, column: str) -> int:
    with (data / table).open(encoding="utf-8") as fh:
        return next(csv.reader(fh)).index(column) + 1


BAD_ROWS = [
    # table, row id, column, new value, expected message after "file:line:col (column): "
    ("reference/pairings.csv", "PR-0001", "supporter", "beijingg", "unknown actor 'beijingg'"),
    ("reference/pairings.csv", "PR-0001", "start_year", "20x0", "bad year '20x0' (expected four digits, 1900-2100)"),
    ("reference/pairings.csv", "PR-0001", "sources", "", "sources is required"),
    ("reference/pairings.csv", "PR-0001", "sources", "S-nowhere", "unknown source 'S-nowhere'"),
    ("reference/pairings.csv", "PR-0002", "id", "PR-0001", "duplicate id 'PR-0001' (first defined at data/reference/pairings.csv:2)"),
    ("reference/pairings.csv", "PR-0001", "recipient", "beijing", "supporter and recipient are the same actor 'beijing'"),
    ("reference/pairings.csv", "PR-0001", "end_year", "2005", "end_year 2005 is before start_year 2010"),
    ("reference/pairings.csv", "PR-0001", "mode", "turnkey", "unknown mode 'turnkey' (expected one of: disaster-reconstruction, east-west-cooperation, group-style, traditional)"),
    ("reference/pairings.csv", "PR-0001", "programme", "P-NOPE", "unknown programme 'P-NOPE'"),
    ("reference/pairings.csv", "PR-0001", "confidence", "sure", "unknown confidence 'sure' (expected one of: high, low, medium)"),
    ("reference/actors.csv", "hotan-city", "parent", "hotan-city", "an actor cannot be its own parent"),
    ("reference/actors.csv", "hotan-city", "gb_code", "65320", "bad GB/T 2260 code '65320' (expected six digits)"),
    ("reference/instruments.csv", "I-WC-PLAN", "date", "2008-13-01", "bad date '2008-13-01' (expected YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("reference/instruments.csv", "I-WC-PLAN", "governs", "PR-9999", "unknown programme or pairing 'PR-9999'"),
    ("reference/instruments.csv", "I-WC-PLAN", "type", "law", "type 'law' does not fit kind 'soft-law'"),
    ("case/pairings.csv", "PR-CASE-JK", "id", "PR CASE", "bad id 'PR CASE' (letters, digits, '.', '_' and '-' only, starting with a letter or digit)"),
]


@pytest.mark.parametrize("table,row_id,column,value,message", BAD_ROWS,
                         ids=[f"{r[0].split('/')[-1]}:{r[2]}={r[3] or 'empty'}" for r in BAD_ROWS])
def test_bad_row_is_rejected_with_its_place(data, table, row_id, column, value, message):
    line = set_cell(data, table, row_id, column, value)
    with pytest.raises(BuildError) as err:
        build(data)
    expected = f"data/{table}:{line}:{column_of(data, table, column)} ({column}): {message}"
    assert expected in [str(p) for p in err.value.problems]


@pytest.mark.parametrize("column,value,message", [
    ("members", "case-person-l;nobody-at-all;case-person-x", "unknown actor 'nobody-at-all'"),
    ("members", "nobody-at-all", "unknown actor 'nobody-at-all'"),
    ("id", "", "id is required"),
])
def test_a_team_with_an_unknown_member_or_no_id_is_reported_not_a_crash(data, column, value, message):
    line = set_cell(data, "case/teams.csv", "case-team-10", column, value)
    with pytest.raises(BuildError) as err:
        build(data)
    assert f"data/case/teams.csv:{line}:{column_of(data, 'case/teams.csv', column)} ({column}): {message}" \
        in [str(p) for p in err.value.problems]


def test_every_problem_is_reported_at_once(data):
    set_cell(data, "reference/pairings.csv", "PR-0001", "supporter", "nobody")
    set_cell(data, "reference/pairings.csv", "PR-0002", "start_year", "1")
    with pytest.raises(BuildError) as err:
        build(data)
    assert len(err.value.problems) == 2


def test_unknown_column_and_unknown_table(data):
    (data / "case" / "pairngs.csv").write_text("id\nX\n", encoding="utf-8")
    path = data / "case" / "figures.csv"
    text = path.read_text(encoding="utf-8").replace("as_of_year,", "as_of,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(data)
    messages = [str(p) for p in err.value.problems]
    assert any(m.startswith("data/case/pairngs.csv:1: unknown table 'pairngs'") for m in messages)
    assert any(m.startswith("data/case/figures.csv:1:7 (as_of): unknown column 'as_of'") for m in messages)


def test_a_row_with_a_wrong_number_of_fields(data):
    path = data / "case" / "figures.csv"
    path.write_text(path.read_text(encoding="utf-8") + "FIG-X,PR-CASE-JK,experts-sent\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").count("\n")
    with pytest.raises(BuildError) as err:
        build(data)
    assert f"data/case/figures.csv:{lines}: 3 fields where the header has 10" in [str(p) for p in err.value.problems]


def test_failed_build_leaves_the_previous_output_untouched(data, tmp_path):
    out, store = tmp_path / "out" / "pakg.nq", tmp_path / "store"
    good = build(data)
    write_build(good, out)
    write_store(good, store)
    before = out.read_bytes()
    set_cell(data, "reference/pairings.csv", "PR-0001", "supporter", "nobody")
    result = subprocess.run([sys.executable, "-m", "pakg", "build", "--data", str(data), "--out", str(out),
                             "--store", str(store)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "unknown actor 'nobody'" in result.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["pakg.nq"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("store")) == ["store"]
    assert Engine.open(store).version == good.version


def test_build_is_deterministic(built):
    again = build(DATA_DIR, built.base)
    assert again.version == built.version and again.nquads() == built.nquads()


def test_store_on_disk_gives_the_same_dataset(built, tmp_path):
    write_store(built, tmp_path / "store")
    engine = Engine.open(tmp_path / "store")
    assert engine.version == built.version
    assert engine.triple_count == len(built.quads)
    write_store(built, tmp_path / "store")  # replacing a store in place works too
    assert Engine.open(tmp_path / "store").triple_count == len(built.quads)


def test_base_iri_is_configurable(data):
    result = build(data, "https://example.org/pa/")
    subjects = {q.subject.value for q in result.quads if q.graph_name.value.endswith("/graph/data")}
    assert "https://example.org/pa/pairing/PR-0001" in subjects
    assert not any(s.startswith("https://w3id.org/pakg/id/") for s in subjects)


def test_adding_a_pairing_as_the_readme_says(data):
    curated = data / "curated"
    (curated / "sources.csv").write_text(
        "id,title,url,citation,publisher,kind,accessed,note\n"
        "S-example-2024,Example Daily (2024): Province X supports County Y,https://example.org/news/1,,"
        "Example Daily,web-page,2026-11-28,\n", encoding="utf-8")
    header = (data / "reference" / "actors.csv").read_text(encoding="utf-8").splitlines()[0]
    (curated / "actors.csv").write_text(
        header + "\n"
        "province-x,X省,Province X,region-government,province,,,,S-example-2024,medium,\n"
        "county-y,Y县,County Y,region-government,county,hotan-prefecture,,,S-example-2024,medium,\n",
        encoding="utf-8")
    header = (data / "reference" / "pairings.csv").read_text(encoding="utf-8").splitlines()[0]
    (curated / "pairings.csv").write_text(
        header + "\nPR-1001,pairing,P-XJ-2010,province-x,county-y,,medical,group-style,2024,,,,S-example-2024,medium,\n",
        encoding="utf-8")
    engine = Engine.from_build(build(data))
    from graph import queries
    rows = queries.run(engine, "supporters_of", region="https://w3id.org/pakg/id/actor/hotan-prefecture")
    added = [r for r in rows if r["pairing"].endswith("/PR-1001")]
    assert [(r["supporter_en"], r["recipient_en"], r["start"], r["fields"], r["mode"]) for r in added] == [
        ("Province X", "County Y", 2024, "medical", "group-style")]
    sources = queries.run(engine, "sources_of", resource="https://w3id.org/pakg/id/pairing/PR-1001")
    assert [s["url"] for s in sources] == ["https://example.org/news/1"]
