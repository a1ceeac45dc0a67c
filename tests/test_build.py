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
    ("reference/pairings.csv", "PR-0001", "mode", "turnkey", "unknown mode 'turnkey' (expected one of: disaster-reconstruction, east-west-cooperation, group-style, resettlement, traditional)"),
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
        "Example Daily,state-media,2026-11-28,\n", encoding="utf-8")
    def write(table: str, rows: list[dict[str, str]]) -> None:  # with the reference table's header
        with (data / "reference" / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        with (curated / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n", restval="")
            writer.writeheader()
            writer.writerows(rows)

    write("actors", [
        {"id": "province-x", "label_zh": "X省", "label_en": "Province X", "kind": "region-government",
         "level": "province", "sources": "S-example-2024", "confidence": "medium"},
        {"id": "county-y", "label_zh": "Y县", "label_en": "County Y", "kind": "region-government",
         "level": "county", "parent": "hotan-prefecture", "sources": "S-example-2024", "confidence": "medium"},
    ])
    write("pairings", [
        {"id": "PR-1001", "kind": "pairing", "programme": "P-XJ-2010", "supporter": "province-x",
         "recipient": "county-y", "fields": "medical", "mode": "group-style", "start_year": "2024",
         "sources": "S-example-2024", "confidence": "medium"},
    ])
    engine = Engine.from_build(build(data))
    from graph import queries
    rows = queries.run(engine, "supporters_of", region="https://w3id.org/pakg/id/actor/hotan-prefecture")
    added = [r for r in rows if r["pairing"].endswith("/PR-1001")]
    assert [(r["supporter_en"], r["recipient_en"], r["start"], r["fields"], r["mode"]) for r in added] == [
        ("Province X", "County Y", 2024, "medical", "group-style")]
    sources = queries.run(engine, "sources_of", resource="https://w3id.org/pakg/id/pairing/PR-1001")
    assert [s["url"] for s in sources] == ["https://example.org/news/1"]


# ---- the issue-14 contract, on small tables of their own -------------------------------------------
# (the tables below are made up for the tests: they name no real source)

from graph.config import DCTERMS, OWL, PA, PROV, RDF, SKOS, TIME  # noqa: E402

ID = "https://w3id.org/pakg/id/"

MINI: dict[str, list[dict[str, str]]] = {
    "sources": [
        {"id": "S-off", "title": "An official notice", "url": "https://example.org/gov", "kind": "official"},
        {"id": "S-list", "title": "A code list", "url": "https://example.org/codes", "kind": "official"},
        {"id": "S-fic", "title": "A forum page", "url": "https://example.org/forum", "kind": "fiction-forum"},
        {"id": "S-fic2", "title": "A novel's page", "url": "https://example.org/novel", "kind": "fiction-forum"},
    ],
    "programmes": [
        {"id": "P-A", "label_zh": "甲工程", "label_en": "Programme A", "start_year": "2010", "end_year": "2020",
         "mode": "traditional", "fields": "comprehensive", "sources": "S-off", "confidence": "high"},
        {"id": "P-B", "label_zh": "乙工程", "label_en": "Programme B", "start_year": "2021",
         "mode": "traditional", "fields": "comprehensive", "sources": "S-off", "confidence": "high"},
    ],
    "actors": [
        {"id": "prov-a", "label_zh": "甲省", "label_en": "Province A", "kind": "region-government",
         "level": "province", "gb_code": "650000", "sources": "S-list", "confidence": "high"},
        {"id": "pref-b", "label_zh": "乙地区", "label_en": "Prefecture B", "kind": "region-government",
         "level": "prefecture", "parent": "prov-a", "gb_code": "653200", "sources": "S-list", "confidence": "high"},
        {"id": "county-c", "label_zh": "丙县", "label_en": "County C", "kind": "region-government",
         "level": "county", "parent": "pref-b", "gb_code": "653221", "sources": "S-list", "confidence": "high"},
        {"id": "prov-d", "label_zh": "丁省", "label_en": "Province D", "kind": "region-government",
         "level": "province", "gb_code": "320000", "sources": "S-list", "confidence": "high"},
    ],
    "pairings": [
        {"id": "PR-1", "kind": "pairing", "programme": "P-A", "supporter": "prov-d", "recipient": "county-c",
         "fields": "medical", "mode": "traditional", "start_year": "2012", "sources": "S-off", "confidence": "high"},
    ],
}


def write_tables(root: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    """Write each table as ``root/data/reference/NAME.csv``, its header the union of its rows' columns."""
    folder = root / "data" / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        header = list(dict.fromkeys(column for row in rows for column in row))
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n", restval="")
            writer.writeheader()
            writer.writerows(rows)
    return root / "data"


def mini(tmp_path: Path, **changes: list[dict[str, str]]) -> Path:
    """The MINI tables with some tables replaced or added (a row dict per row)."""
    return write_tables(tmp_path, {**MINI, **changes})


def with_row(table: str, ident: str, **values: str) -> list[dict[str, str]]:
    """A copy of a MINI table with the row ``ident`` changed (a value "" empties a cell)."""
    return [{**row, **values} if row["id"] == ident else dict(row) for row in MINI[table]]


def described(result, subject: str) -> set[tuple[str, str]]:
    """(predicate, object) of every data triple about ``subject``."""
    return {(q.predicate.value, q.object.value) for q in result.quads
            if q.subject.value == subject and q.graph_name.value.endswith("/graph/data")}


def problems_of(data: Path) -> list[str]:
    with pytest.raises(BuildError) as err:
        build(data)
    return [str(p) for p in err.value.problems]


def test_mini_tables_build(tmp_path):
    build(mini(tmp_path))


def test_old_columns_state_what_they_stated_before(tmp_path):
    """Without the new columns a row states what it did (its given years now say they are stated)."""
    result = build(mini(tmp_path))
    assert described(result, ID + "pairing/PR-1") == {
        (RDF + "type", PA + "Pairing"),
        (PA + "programme", ID + "programme/P-A"),
        (PA + "supporter", ID + "actor/prov-d"),
        (PA + "recipient", ID + "actor/county-c"),
        (PA + "field", PA + "medical"),
        (PA + "mode", PA + "traditional"),
        (TIME + "hasBeginning", ID + "year/2012"),
        (PROV + "wasDerivedFrom", ID + "source/S-off"),
        (PA + "confidence", PA + "high"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "丁省 → 丙县（甲工程）"),
        ("http://www.w3.org/2000/01/rdf-schema#label", "Province D → County C (Programme A)"),
        # new: the basis of the given year, and the programme's end year for the one not given
        (PA + "startBasis", PA + "yearStated"),
        (TIME + "hasEnd", ID + "year/2020"),
        (PA + "endBasis", PA + "yearFromProgramme"),
    }
    actor = described(result, ID + "actor/county-c")
    assert (PA + "parentRegion", ID + "actor/pref-b") in actor and (PA + "gbCode", "653221") in actor
    assert not any(q.object.value == RDF + "Statement" for q in result.quads)  # no attribution columns


def test_a_pairing_without_years_takes_its_programmes_with_basis_programme(tmp_path):
    pairings = with_row("pairings", "PR-1", start_year="")
    about = described(build(mini(tmp_path, pairings=pairings)), ID + "pairing/PR-1")
    assert {(p, o) for p, o in about if p.startswith(TIME) or p.endswith("Basis")} == {
        (TIME + "hasBeginning", ID + "year/2010"), (PA + "startBasis", PA + "yearFromProgramme"),
        (TIME + "hasEnd", ID + "year/2020"), (PA + "endBasis", PA + "yearFromProgramme")}


def test_a_programme_without_an_end_leaves_its_pairings_without_one(tmp_path):
    pairings = with_row("pairings", "PR-1", programme="P-B", start_year="")
    about = described(build(mini(tmp_path, pairings=pairings)), ID + "pairing/PR-1")
    assert {(p, o) for p, o in about if p.startswith(TIME) or p.endswith("Basis")} == {
        (TIME + "hasBeginning", ID + "year/2021"), (PA + "startBasis", PA + "yearFromProgramme")}


def test_continued_leaves_no_end(tmp_path):
    pairings = with_row("pairings", "PR-1", end_basis="continued")
    about = described(build(mini(tmp_path, pairings=pairings)), ID + "pairing/PR-1")
    assert not any(p == TIME + "hasEnd" for p, _ in about)
    assert (PA + "endBasis", PA + "continuedAfterProgramme") in about


def test_a_given_basis_is_stated_instead_of_stated(tmp_path):
    pairings = with_row("pairings", "PR-1", start_basis="anniversary", end_year="2016", end_basis="later-source")
    about = described(build(mini(tmp_path, pairings=pairings)), ID + "pairing/PR-1")
    assert {(p, o) for p, o in about if p.endswith("Basis")} == {
        (PA + "startBasis", PA + "yearFromAnniversary"), (PA + "endBasis", PA + "yearFromLaterSource")}
    assert (TIME + "hasEnd", ID + "year/2016") in about


def test_programme_years_have_their_basis_and_replacement(tmp_path):
    programmes = [dict(MINI["programmes"][0], replaced_by="P-B", end_basis="later-source"), MINI["programmes"][1]]
    result = build(mini(tmp_path, programmes=programmes))
    about = described(result, ID + "programme/P-A")
    assert {(PA + "startBasis", PA + "yearStated"), (PA + "endBasis", PA + "yearFromLaterSource"),
            (PA + "replacedBy", ID + "programme/P-B")} <= about
    assert (PA + "replaces", ID + "programme/P-A") in described(result, ID + "programme/P-B")


def test_sources_kind_date_and_original_outlet(tmp_path):
    sources = with_row("sources", "S-off", kind="copy", date="2019-05", original_outlet="Xinhua")
    about = described(build(mini(tmp_path, sources=sources)), ID + "source/S-off")
    assert {(PA + "sourceKind", PA + "copySource"), (DCTERMS + "issued", "2019-05"),
            (PA + "originalOutlet", "Xinhua")} <= about


def test_attributed_columns_are_reified_with_their_sources(tmp_path):
    actors = with_row("actors", "county-c", label_sources="S-off", parent_sources="S-off;S-list",
                      code_sources="S-list", alt_labels_zh="旧丙县;丙", alt_label_sources="S-list")
    result = build(mini(tmp_path, actors=actors))
    actor = ID + "actor/county-c"
    facts: dict[str, set[tuple[str, str]]] = {}
    for q in result.quads:
        if q.subject.value.startswith(ID + "fact/"):
            facts.setdefault(q.subject.value.removeprefix(ID + "fact/"), set()).add((q.predicate.value, q.object.value))
    assert sorted(facts) == ["county-c-alt_labels_zh-1", "county-c-alt_labels_zh-2", "county-c-gb_code-1",
                             "county-c-label_en-1", "county-c-label_zh-1", "county-c-parent-1"]
    assert facts["county-c-parent-1"] == {
        (RDF + "type", RDF + "Statement"), (RDF + "subject", actor), (RDF + "predicate", PA + "parentRegion"),
        (RDF + "object", ID + "actor/pref-b"),
        (PROV + "wasDerivedFrom", ID + "source/S-off"), (PROV + "wasDerivedFrom", ID + "source/S-list")}
    assert (RDF + "object", "653221") in facts["county-c-gb_code-1"]
    assert (RDF + "object", "旧丙县") in facts["county-c-alt_labels_zh-1"]
    assert (PROV + "wasDerivedFrom", ID + "source/S-list") in facts["county-c-alt_labels_zh-1"]
    assert (PROV + "wasDerivedFrom", ID + "source/S-off") not in facts["county-c-alt_labels_zh-1"]
    # the attribution sources are the actor's sources too
    assert {(PROV + "wasDerivedFrom", ID + "source/S-off"), (PROV + "wasDerivedFrom", ID + "source/S-list")} \
        <= described(result, actor)


def test_a_merge_leaves_the_old_iri_pointing_to_the_survivor(tmp_path):
    merges = [{"id": "county-c-old", "into": "county-c", "sources": "S-list", "confidence": "high",
               "note": "One county listed twice."}]
    result = build(mini(tmp_path, merges=merges))
    old, new = ID + "actor/county-c-old", ID + "actor/county-c"
    assert described(result, old) == {(OWL + "sameAs", new), (DCTERMS + "isReplacedBy", new)}
    fact = described(result, ID + "fact/county-c-old-into-1")
    assert {(RDF + "subject", old), (RDF + "predicate", OWL + "sameAs"), (RDF + "object", new),
            (PROV + "wasDerivedFrom", ID + "source/S-list")} <= fact


def test_coverage_and_gaps(tmp_path):
    coverage = [{"id": "COV-A", "programme": "P-A", "statement_zh": "甲省支援丙县", "statement_en": "A supports C",
                 "stated_supporters": "19", "stated_recipients": "82", "recipient_units_en": "counties",
                 "sources": "S-off", "confidence": "high"}]
    gaps = [{"id": "GAP-1", "about": "P-A;county-c", "label_en": "No source gives the 2021 list.", "note": "n"},
            {"id": "GAP-2", "label_zh": "缺口", "label_en": "Another gap.", "sources": "S-off"}]
    result = build(mini(tmp_path, coverage=coverage, gaps=gaps))
    cov = described(result, ID + "coverage/COV-A")
    assert {(RDF + "type", PA + "CoverageStatement"), (PA + "coverageOf", ID + "programme/P-A"),
            (PA + "statement", "A supports C"), (PA + "statedSupporters", "19"),
            (PA + "recipientUnits", "counties"), (PROV + "wasDerivedFrom", ID + "source/S-off")} <= cov
    gap = described(result, ID + "gap/GAP-1")
    assert {(RDF + "type", PA + "KnownGap"), (PA + "gapAbout", ID + "programme/P-A"),
            (PA + "gapAbout", ID + "actor/county-c"), ("http://www.w3.org/2004/02/skos/core#note", "n")} <= gap
    assert (PROV + "wasDerivedFrom", ID + "source/S-off") in described(result, ID + "gap/GAP-2")


def test_instrument_validity_links_and_figure_columns(tmp_path):
    instruments = [
        {"id": "I-1", "label_zh": "甲规划", "label_en": "Plan 1", "kind": "soft-law", "type": "central-plan",
         "in_force_from": "2011-01-01", "in_force_until": "2015", "sources": "S-off", "confidence": "high"},
        {"id": "I-2", "label_zh": "乙规划", "label_en": "Plan 2", "kind": "soft-law", "type": "central-plan",
         "sources": "S-off", "confidence": "high"},
    ]
    links = [{"subject": "I-2", "predicate": predicate, "object": obj, "sources": "S-off", "confidence": "medium",
              "note": f"The source says plan 2 {predicate} {obj}."}
             for predicate, obj in (("based-on", "I-1"), ("implements", "P-A"), ("amends", "I-1"),
                                    ("replaces", "I-1"), ("repeals", "I-1"))]
    figures = [{"id": "F-1", "subject": "prov-d", "measure": "funds-cny", "value": "700000000",
                "approximate": "true", "period_note": "1994-2014", "scope_en": "funds and materials",
                "sources": "S-off", "confidence": "medium"}]
    result = build(mini(tmp_path, instruments=instruments, links=links, figures=figures))
    eli = "http://data.europa.eu/eli/ontology#"
    assert {(eli + "first_date_entry_in_force", "2011-01-01"), (eli + "date_no_longer_in_force", "2015")} \
        <= described(result, ID + "instrument/I-1")
    assert {(PA + p, ID + o) for p, o in (("basedOn", "instrument/I-1"), ("implements", "programme/P-A"),
                                          ("amends", "instrument/I-1"), ("replaces", "instrument/I-1"),
                                          ("repeals", "instrument/I-1"))} <= described(result, ID + "instrument/I-2")
    # each link is attributed on its own: its sources, confidence and note, not the instrument's
    assert described(result, ID + "fact/link-I-2-amends-I-1") == {
        (RDF + "type", RDF + "Statement"), (RDF + "subject", ID + "instrument/I-2"), (RDF + "predicate", PA + "amends"),
        (RDF + "object", ID + "instrument/I-1"), (PROV + "wasDerivedFrom", ID + "source/S-off"),
        (PA + "confidence", PA + "medium"), (SKOS + "note", "The source says plan 2 amends I-1.")}
    assert {(PA + "figureOf", ID + "actor/prov-d"), (PA + "measure", PA + "fundsCNY"), (PA + "approximate", "true"),
            (PA + "periodNote", "1994-2014"), (PA + "scope", "funds and materials")} \
        <= described(result, ID + "figure/F-1")


NEW_PROBLEMS = [
    # table, rows, the row's line, column, message
    ("sources", with_row("sources", "S-off", kind="web-page"), 2, "kind",
     "unknown kind 'web-page' (expected one of: academic, copy, fiction-forum, official, secondary, state-media)"),
    ("pairings", with_row("pairings", "PR-1", sources="S-fic;S-fic2", confidence="medium"), 2, "confidence",
     "every source of this row is of kind fiction-forum: confidence must be low (not 'medium')"),
    ("pairings", with_row("pairings", "PR-1", sources="S-fic", confidence=""), 2, "confidence",
     "every source of this row is of kind fiction-forum: confidence must be low (none is given)"),
    ("actors", with_row("actors", "prov-d", gb_code="653221"), 5, "gb_code",
     "gb_code '653221' is also the code of 'county-c' (data/reference/actors.csv:4)"),
    ("actors", with_row("actors", "pref-b", level="city", gb_code="650000"), 3, "level",
     "level 'city' does not fit gb_code '650000' (expected the form XXYY00, not XX0000)"),
    ("actors", with_row("actors", "county-c", level="district", gb_code="653200"), 4, "level",
     "level 'district' does not fit gb_code '653200' (expected the form XXYYZZ with ZZ not 00)"),
    ("actors", with_row("actors", "prov-d", gb_code="320100"), 5, "level",
     "level 'province' does not fit gb_code '320100' (expected the form XX0000)"),
    ("actors", with_row("actors", "county-c", parent="prov-a"), 4, "parent",
     "a county sits under a prefecture, city or municipality (or a province, for a code XX90ZZ); "
     "parent 'prov-a' is at level province"),
    ("actors", with_row("actors", "county-c", confidence=""), 4, "confidence", "confidence is required"),
    ("pairings", with_row("pairings", "PR-1", end_year="2016", end_basis="continued"), 2, "end_basis",
     "end_basis 'continued': states no end year, not 2016"),
    ("pairings", with_row("pairings", "PR-1", start_basis="continued"), 2, "start_basis",
     "start_basis 'continued': only an end can be continued"),
    ("pairings", with_row("pairings", "PR-1", start_year="2022"), 2, "start_year",
     "the period would run from 2022 to 2020 with the programme's years: give the pairing's own start_year or "
     "end_year (or end_basis continued)"),
    ("pairings", with_row("pairings", "PR-1", programme="", start_year="", start_basis="later-source"), 2,
     "start_basis", "start_basis 'later-source' needs a start_year"),
    ("programmes", with_row("programmes", "P-B", end_basis="programme"), 3, "end_basis",
     "a programme's end_basis cannot be 'programme'"),
    ("pairings", with_row("pairings", "PR-1", start_basis="guess"), 2, "start_basis",
     "unknown start_basis 'guess' (expected one of: anniversary, continued, later-source, programme, stated)"),
]


@pytest.mark.parametrize("table,rows,line,column,message", NEW_PROBLEMS,
                         ids=[f"{p[0]}:{p[3]}:{i}" for i, p in enumerate(NEW_PROBLEMS)])
def test_new_checks_report_their_place(tmp_path, table, rows, line, column, message):
    data = mini(tmp_path, **{table: rows})
    header = list(dict.fromkeys(c for row in rows for c in row))
    expected = f"data/reference/{table}.csv:{line}:{header.index(column) + 1} ({column}): {message}"
    assert expected in problems_of(data)


def test_a_merged_id_is_named_by_its_survivor(tmp_path):
    merges = [{"id": "county-c-old", "into": "county-c", "sources": "S-list"}]
    pairings = with_row("pairings", "PR-1", recipient="county-c-old")
    assert "data/reference/pairings.csv:2:5 (recipient): actor 'county-c-old' was merged into 'county-c': " \
        "name 'county-c'" in problems_of(mini(tmp_path, merges=merges, pairings=pairings))


def test_an_id_cannot_be_both_an_actor_and_a_merge(tmp_path):
    merges = [{"id": "pref-b", "into": "county-c", "sources": "S-list"}]
    assert "data/reference/merges.csv:2:1 (id): duplicate id 'pref-b' (first defined at " \
        "data/reference/actors.csv:3)" in problems_of(mini(tmp_path, merges=merges))


def test_a_county_city_under_its_province_is_allowed_with_a_90_code(tmp_path):
    actors = [*MINI["actors"], {"id": "city-e", "label_zh": "戊市", "label_en": "E City", "kind": "region-government",
                                "level": "county-city", "parent": "prov-a", "gb_code": "659001",
                                "sources": "S-list", "confidence": "high"}]
    build(mini(tmp_path, actors=actors))


def test_actors_need_a_confidence_column(tmp_path):
    actors = [{k: v for k, v in row.items() if k != "confidence"} for row in MINI["actors"]]
    assert "data/reference/actors.csv:1 (confidence): missing column 'confidence'" \
        in problems_of(mini(tmp_path, actors=actors))
