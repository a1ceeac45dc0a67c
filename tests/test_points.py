"""Where actors are: every region with a code the gazetteer holds has its point, with its source; the units
it lacks are known gaps, not guesses; hospitals and parts of regions take their unit's point, marked
approximate; the build refuses a bad point with file:line:column; the import reproduces data/geo."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from importlib import metadata, resources
from pathlib import Path

import pytest
from conftest import table_rows
from test_build import column_of, data, set_cell  # noqa: F401  (data: the fixture of a copy of data/)

from graph import geo
from graph.build import build
from graph.config import DATA_DIR, DEFAULT_BASE
from graph.errors import BuildError
from graph.readmodel import ReadModel

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gazetteer() -> dict[str, dict]:
    text = (resources.files("cpca") / "resources" / "adcodes.csv").read_text(encoding="utf-8")
    rows: dict[str, dict] = {}
    for row in csv.DictReader(io.StringIO(text)):
        rows.setdefault(row["adcode"][:6], row)
    return rows


@pytest.fixture(scope="module")
def model(engine) -> ReadModel:
    return ReadModel(engine, DEFAULT_BASE)


def actors() -> list[dict]:
    return table_rows("actors")


def test_every_region_with_a_code_the_gazetteer_holds_has_its_point(model, gazetteer):
    coded = [a for a in actors() if a.get("gb_code") and not a.get("pseudonym")]
    held = [a for a in coded if a["gb_code"] in gazetteer]
    assert len(held) >= 0.95 * len(coded) and held
    for a in held:
        point = model.point(f"{DEFAULT_BASE}actor/{a['id']}")
        assert point is not None, a["id"]
        entry = gazetteer[a["gb_code"]]
        assert (point.longitude, point.latitude) == pytest.approx((float(entry["longitude"]), float(entry["latitude"])))
        assert point.basis == "gazetteer" and not point.approximate
        assert point.sources == (model.point_source.iri,)


def test_the_units_the_gazetteer_lacks_are_known_gaps_without_a_point(model, gazetteer):
    lacking = [a for a in actors() if a.get("gb_code") and a["gb_code"] not in gazetteer]
    assert lacking, "the gazetteer lacks some of the codes (newer units): they are listed, not guessed"
    for a in lacking:
        iri = f"{DEFAULT_BASE}actor/{a['id']}"
        assert model.point(iri) is None
        reason = model.unlocated(iri)
        assert a["gb_code"] in reason and "gazetteer" in reason
        gaps = [g for g in model.gaps if iri in g.about]
        assert any(model.point_source.iri in g.sources for g in gaps), a["id"]
    assert {a["id"] for a in lacking} == {r["about"] for r in table_rows("gaps") if r["id"].startswith("GAP-POINT-")}


def test_the_gazetteer_is_cited_with_package_name_and_version(model):
    source = model.point_source
    assert source is not None and source.kind == "secondary"
    version = metadata.version("cpca")
    assert f"cpca {version}" in source.title and source.url.endswith(f"/cpca/{version}/")


def test_units_without_a_code_take_the_point_of_their_unit_approximately(model):
    by_id = {a["id"]: a for a in actors()}
    placed = [r for r in table_rows("points") if r["basis"] == "placed-in"]
    kinds = {by_id[r["actor"]]["kind"] for r in placed}
    assert {"hospital", "region-government"} <= kinds
    for r in placed:
        point = model.point(f"{DEFAULT_BASE}actor/{r['actor']}")
        unit = model.point(point.placed_in)
        assert point.approximate and unit is not None and not unit.approximate
        assert (point.longitude, point.latitude) == (unit.longitude, unit.latitude)
        # the unit is the nearest one above the actor with a code of its own
        node = by_id[r["actor"]]["parent"]
        while not by_id[node].get("gb_code"):
            node = by_id[node]["parent"]
        assert point.placed_in.endswith("/" + node)
        levels = ("low", "medium", "high")
        assert levels.index(point.confidence) <= levels.index(by_id[r["actor"]]["confidence"])


@pytest.mark.parametrize(
    "actor,words",
    [
        ("xi-jinping", "not a place"),
        ("state-council", "central organ"),
        ("case-k-prefecture", "pseudonym"),
        ("case-n-medical-university", "pseudonym"),
        ("xpcc-2nd-division", "no GB/T 2260 code"),
        ("nagqu-people-s-hospital", "has no point"),
    ],
)
def test_every_actor_without_a_point_says_why(model, actor, words):
    iri = f"{DEFAULT_BASE}actor/{actor}"
    assert model.point(iri) is None
    assert words in model.unlocated(iri)


def test_no_pseudonymous_actor_is_located(model):
    for a in actors():
        if a.get("pseudonym"):
            assert model.point(f"{DEFAULT_BASE}actor/{a['id']}") is None


def test_points_in_the_graph_are_geosparql(engine):
    rows = list(
        engine.select(
            """PREFIX geo: <http://www.opengis.net/ont/geosparql#>
               PREFIX sf: <http://www.opengis.net/ont/sf#>
               SELECT ?actor ?wkt WHERE {
                 ?actor a geo:Feature ; geo:hasGeometry ?g ; geo:hasDefaultGeometry ?g .
                 ?g a geo:Geometry, sf:Point ; geo:asWKT ?wkt .
                 FILTER(DATATYPE(?wkt) = geo:wktLiteral)
               }""",
            {},
        )
    )
    assert len(rows) == sum(1 for _ in csv.DictReader((DATA_DIR / "geo" / "points.csv").open(encoding="utf-8")))
    for row in rows:
        lon, lat = geo.parse_wkt(row["wkt"].value)
        assert 73 < lon < 136 and 18 < lat < 54  # China, longitude first


def test_the_import_reproduces_data_geo(tmp_path):
    copy = tmp_path / "data"
    for folder in ("reference", "case"):
        (copy / folder).mkdir(parents=True)
        (copy / folder / "actors.csv").write_bytes((DATA_DIR / folder / "actors.csv").read_bytes())
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "import_points.py"), str(copy)], check=True, capture_output=True
    )
    for name in ("points.csv", "gaps.csv", "sources.csv"):
        assert (copy / "geo" / name).read_bytes() == (DATA_DIR / "geo" / name).read_bytes(), name


BAD_POINTS = [
    ("wkt", "POINT (87.6)", "bad point 'POINT (87.6)'"),
    ("wkt", "POINT (43.8 187.6)", "latitude 187.6 is outside -90…90"),
    ("wkt", "LINESTRING (0 0, 1 1)", "not a point"),
    ("basis", "guess", "unknown basis 'guess'"),
    ("actor", "nowhere", "unknown actor 'nowhere'"),
    ("gazetteer_code", "", "a gazetteer point names the code it is given under"),
]


@pytest.mark.parametrize("column,value,message", BAD_POINTS, ids=[f"{c}={v or 'empty'}" for c, v, _ in BAD_POINTS])
def test_a_bad_point_is_refused_with_its_place(data, column, value, message):  # noqa: F811
    line = set_cell(data, "geo/points.csv", "hotan-city", column, value, key="actor")
    with pytest.raises(BuildError) as err:
        build(data)
    where = f"data/geo/points.csv:{line}:{column_of(data, 'geo/points.csv', column)} ({column}): "
    assert any(str(p).startswith(where) and message in str(p) for p in err.value.problems), err.value.problems


def test_a_second_point_for_one_actor_is_refused(data):  # noqa: F811
    path = data / "geo" / "points.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(lines, 1) if line.startswith("hotan-city,"))
    path.write_text("\n".join([*lines, lines[first - 1]]) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(data)
    assert f"a second point for actor 'hotan-city' (the first at line {first})" in str(err.value)


def test_an_actor_answer_gives_its_point_with_its_source_or_why_it_has_none(client, model, table_rows_of_points):
    for row in table_rows_of_points[:: max(1, len(table_rows_of_points) // 12)]:
        answer = client.get(f"/actors/{row['actor']}").json()
        location = answer["location"]
        lon, lat = geo.parse_wkt(row["wkt"])
        assert (location["longitude"], location["latitude"]) == (lon, lat) and answer["unlocated"] is None
        assert location["approximate"] == (row["basis"] == "placed-in")
        assert (location["placed_in"] or {}).get("id", "") == row["placed_in"]
        assert [s["id"] for s in location["sources"]] == row["sources"].split(";")
        assert location["sources"][0]["title"].startswith("cpca ")
    for gap in table_rows("gaps"):
        if gap["id"].startswith("GAP-POINT-"):
            answer = client.get(f"/actors/{gap['about']}").json()
            assert answer["location"] is None and answer["unlocated"] == gap["label_en"]


@pytest.fixture(scope="module")
def table_rows_of_points() -> list[dict]:
    return table_rows("points")
