"""The panel for quantitative work (graph/panel.py, /panel, /panel/figures, /panel/codebook): one row per
pairing and year in which it was active, matching the pairings' years; open-ended pairings run to the year
the dataset was issued; the codebook names every column; the Parquet files load in pandas with the
codebook's types; the CSV joins a yearbook by GB/T code and year; the filters and fact filters apply."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

import pytest

from api import schemas
from graph import panel
from graph.metadata import load_metadata
from graph.readmodel import FactFilter, ReadModel

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def model(engine, base) -> ReadModel:
    return ReadModel(engine, base)


def read_csv(content: bytes, table: str = "panel"):
    """A CSV of the panel as pandas reads it with the codebook's dtypes (booleans: true/false)."""
    dtypes = {name: v.pandas for name, v in panel.CODEBOOK[table].items()}
    return pd.read_csv(
        io.BytesIO(content),
        dtype=dtypes,
        keep_default_na=False,
        na_values=[""],
        true_values=["true"],
        false_values=["false"],
    )


def test_a_pairing_has_one_row_for_each_year_from_its_start_to_its_end(model):
    last = load_metadata().issued.year
    rows = panel.panel_rows(model)
    years = defaultdict(list)
    for row in rows:
        years[row["pairing_id"]].append(row["year"])
    closed = open_ = 0
    for p in model.pairings:
        if p.start is None:
            assert p.id not in years
            continue
        expected = list(range(p.start, (p.end if p.end is not None else last) + 1))
        assert years[p.id] == expected, p.id
        assert all(model.active_in(p, y) for y in expected)
        if p.end is None:
            open_ += 1
            assert years[p.id][-1] == last  # an open-ended pairing runs to the year the dataset was issued
        else:
            closed += 1
    assert closed and open_
    assert len(rows) == sum(len(v) for v in years.values())


def test_a_pairing_from_2010_to_2012_gives_three_rows(model):
    closed = [p for p in model.pairings if p.start is not None and p.end is not None]
    assert closed
    p = min(closed, key=lambda p: (p.end - p.start, p.id))
    rows = [r for r in panel.panel_rows(model) if r["pairing_id"] == p.id]
    assert [r["year"] for r in rows] == list(range(p.start, p.end + 1))
    for r in rows:
        assert (r["start_year"], r["end_year"], r["open_ended"]) == (p.start, p.end, False)


def test_each_row_says_whether_its_year_is_stated_and_from_what_it_is_inferred(model):
    rows = panel.panel_rows(model)
    by_id = model.pairing_by_iri
    seen = set()
    for row in rows:
        p = by_id[model.iri("pairing", row["pairing_id"])]
        stated = model.active_in(p, row["year"], stated_only=True)
        assert row["year_basis"] == ("stated" if stated else "inferred")
        if stated:
            assert row["year_inferred_from"] is None
        else:
            bases = row["year_inferred_from"].split(";")
            assert bases and all(b != "stated" for b in bases)
            assert set(bases) <= {p.start_basis, p.end_basis}
        seen.add(row["year_basis"])
    assert seen == {"stated", "inferred"}


def test_stated_years_only_keeps_the_rows_whose_year_a_source_states(model):
    every = panel.panel_rows(model)
    stated = panel.panel_rows(model, FactFilter(stated_years_only=True))
    assert stated and len(stated) < len(every)
    assert {r["year_basis"] for r in stated} == {"stated"}
    assert {(r["pairing_id"], r["year"]) for r in stated} == {
        (r["pairing_id"], r["year"]) for r in every if r["year_basis"] == "stated"
    }


def test_the_rows_carry_both_sides_with_codes_names_levels_parents_and_sources(model):
    codes = {row["id"]: row["gb_code"] for row in _actors() if row.get("gb_code")}
    for row in panel.panel_rows(model):
        p = model.pairing_by_iri[model.iri("pairing", row["pairing_id"])]
        for role, iri in (("supporter", p.supporter), ("recipient", p.recipient)):
            actor = model.resources[iri]
            assert row[f"{role}_id"] == actor.id
            assert row[f"{role}_gb_code"] == codes.get(actor.id)
            assert (row[f"{role}_name_zh"], row[f"{role}_name_en"]) == (actor.label_zh, actor.label_en)
            assert row[f"{role}_level"] == actor.level
        assert row["source_ids"].split(";") == sorted(model.split(s)[1] for s in p.sources)
        assert len(row["source_kinds"].split(";")) == len(p.sources)
        assert row["confidence"] == p.confidence
        assert row["programme_id"] == (model.split(p.programme)[1] if p.programme else None)


def _actors() -> list[dict]:
    from tests.conftest import table_rows

    return table_rows("actors")


def test_the_network_filters_and_the_fact_filters_apply(model):
    rows = panel.panel_rows(model, programme="P-XJ-2010", year=2015)
    assert rows and {(r["programme_id"], r["year"]) for r in rows} == {("P-XJ-2010", 2015)}
    expected = {p.id for p in model.find_pairings(programme="P-XJ-2010", year=2015)}
    assert {r["pairing_id"] for r in rows} == expected
    high = panel.panel(model, FactFilter(min_confidence="high"))
    assert {r["confidence"] for r in high.rows} == {"high"} and high.left_out["below_confidence"] > 0


def test_the_codebook_names_every_column_with_a_type_and_a_meaning(model):
    for table, rows in (("panel", panel.panel_rows(model)), ("figures", panel.figure_rows(model))):
        columns = panel.CODEBOOK[table]
        assert rows and all(list(row) == list(columns) for row in rows), table
        assert all(v.type in panel.TYPES and v.meaning for v in columns.values())
        header = next(csv.reader(io.StringIO(panel.to_csv(rows, table).decode())))
        assert header == list(columns)
    book = panel.codebook()
    assert book["last_year"] == load_metadata().issued.year and "issued" in book["last_year_rule"]
    assert {t: [c["name"] for c in cs] for t, cs in book["tables"].items()} == {
        t: list(cs) for t, cs in panel.CODEBOOK.items()
    }
    # the JSON forms declare the same columns
    assert list(schemas.PanelRow.model_fields) == list(panel.PANEL_COLUMNS)
    assert list(schemas.FigureRow.model_fields) == list(panel.FIGURE_COLUMNS)


def test_the_figures_are_keyed_as_the_panel_with_their_unit(model):
    rows = panel.figure_rows(model)
    figures = [r for r in model.resources.values() if r.kind == "figure"]
    assert {r["figure_id"] for r in rows} == {f.id for f in figures}
    panel_keys = {r["pairing_id"] for r in panel.panel_rows(model)}
    kinds = set()
    for row in rows:
        kinds.add(row["subject_kind"])
        assert row["unit"] and row["measure"] and isinstance(row["value"], float)
        if row["subject_kind"] == "pairing":
            p = model.pairing(row["pairing_id"])
            assert row["supporter_id"] == model.split(p.supporter)[1]
            assert row["recipient_id"] == model.split(p.recipient)[1]
            assert row["pairing_id"] in panel_keys or p.start is None
    assert "pairing" in kinds
    funds = [r for r in rows if r["measure"] == "funds-cny"]
    assert funds and {r["unit"] for r in funds} == {"CNY"}


def test_panel_answers_csv_parquet_and_json_with_the_codebooks_types(client, tmp_path):
    r = client.get("/panel")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"] and "/panel/codebook" in r.headers["link"]
    frame = read_csv(r.content)
    assert list(frame.columns) == list(panel.PANEL_COLUMNS)

    r = client.get("/panel", params={"format": "parquet"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.apache.parquet"
    path = tmp_path / "panel.parquet"
    path.write_bytes(r.content)
    parquet = pd.read_parquet(path)
    assert {c: str(t) for c, t in parquet.dtypes.items()} == {n: v.pandas for n, v in panel.PANEL_COLUMNS.items()}
    assert len(parquet) == len(frame)
    pd.testing.assert_frame_equal(parquet, frame, check_dtype=True)
    import pyarrow.parquet as pq

    meta = json.loads(pq.read_schema(path).metadata[b"pakg"])
    assert meta["release"] == load_metadata().version and meta["licence"] == load_metadata().licence

    r = client.get("/panel", params={"format": "json"})
    body = schemas.PanelAnswer.model_validate(r.json())
    assert body.total == len(body.rows) == len(frame)

    r = client.get("/panel/figures", params={"format": "parquet"})
    (tmp_path / "figures.parquet").write_bytes(r.content)
    figures = pd.read_parquet(tmp_path / "figures.parquet")
    assert {c: str(t) for c, t in figures.dtypes.items()} == {n: v.pandas for n, v in panel.FIGURE_COLUMNS.items()}
    schemas.FiguresAnswer.model_validate(client.get("/panel/figures", params={"format": "json"}).json())
    pd.testing.assert_frame_equal(read_csv(client.get("/panel/figures").content, "figures"), figures)

    book = client.get("/panel/codebook")
    schemas.Codebook.model_validate(book.json())
    lines = list(csv.DictReader(io.StringIO(client.get("/panel/codebook", params={"format": "csv"}).text)))
    assert [(x["table"], x["column"]) for x in lines] == [(t, c) for t, cs in panel.CODEBOOK.items() for c in cs]


def test_the_csv_joins_a_yearbook_by_gb_code_and_year(client):
    frame = read_csv(client.get("/panel", params={"recipient": "hotan-prefecture"}).content)
    assert len(frame)
    # a yearbook keyed by code and year, as statistical yearbooks are (the values are made up for the join)
    keys = frame[["recipient_gb_code", "year"]].dropna().drop_duplicates()
    yearbook = keys.rename(columns={"recipient_gb_code": "code"}).assign(population=1)
    joined = frame.merge(yearbook, left_on=["recipient_gb_code", "year"], right_on=["code", "year"], how="left")
    assert len(joined) == len(frame)
    assert joined["population"].notna().sum() == frame["recipient_gb_code"].notna().sum() > 0
    assert set(joined.loc[joined["population"].notna(), "recipient_gb_code"].str.len()) == {6}


def test_the_filters_and_fact_filters_apply_on_the_service(client):
    r = client.get("/panel", params={"format": "json", "programme": "P-XJ-2010", "min_confidence": "high"})
    body = r.json()
    assert body["filters"] == {"programme": "P-XJ-2010"} and body["facts"]["min_confidence"] == "high"
    assert {row["programme_id"] for row in body["rows"]} == {"P-XJ-2010"}
    assert {row["confidence"] for row in body["rows"]} == {"high"}
    assert json.loads(r.headers["pakg-left-out"]) == body["left_out"]
    stated = client.get("/panel", params={"format": "json", "stated_years_only": "true"}).json()
    assert {row["year_basis"] for row in stated["rows"]} == {"stated"}


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"format": "xml"}, "format"),
        ({"min_confidence": "certain"}, "min_confidence"),
        ({"exclude_source_kind": "rumour"}, "exclude_source_kind"),
        ({"programme": "P-NONE"}, "programme"),
        ({"supporter": "nobody-at-all"}, "supporter"),
        ({"year": "1800"}, "year"),
    ],
)
def test_a_bad_parameter_gets_a_422_naming_it(client, params, parameter):
    for path in ("/panel", "/panel/figures"):
        r = client.get(path, params=params)
        assert r.status_code == 422, (path, params, r.text)
        assert r.json()["parameter"] == parameter
