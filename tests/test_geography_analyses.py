"""The geography of aid as analyses (distances, distance-by, centroids, distance-over-time): through the API
and the CLI on the curated data, every figure recomputed here from the GeoJSON of the same network with
``geo.distance_km`` and ``geo.centroid``; filters and levels apply; bad parameters are 422s naming them; a
selection with no located pairing answers with no rows and says so."""

from __future__ import annotations

import csv
import io
import json
import statistics
import subprocess
import sys
from collections import defaultdict

import pytest

from graph import geo, network
from graph.analyses import ANALYSES, compute_analysis
from graph.analyses.distance_by import GROUPS
from graph.errors import BadParameter
from graph.readmodel import ReadModel

GEOGRAPHY = ("distances", "distance-by", "centroids", "distance-over-time")


def geojson(client, params: dict) -> dict:
    response = client.get("/network", params={"format": "geojson", **params})
    assert response.status_code == 200, response.text
    return response.json()


def analysis(client, name: str, params: dict) -> dict:
    response = client.get(f"/analysis/{name}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def pairings_of(collection: dict) -> list[dict]:
    """One record per pairing of the GeoJSON's edges, its distance computed here from the LineString."""
    records = []
    for f in collection["features"]:
        p = f["properties"]
        if p["feature"] != "edge":
            continue
        line = f["geometry"]
        ends = [tuple(c) for c in line["coordinates"]] if line else None
        km = round(geo.distance_km(*ends), 1) if ends else None
        for i, pairing in enumerate(p["ids"]):
            records.append(
                {
                    "pairing": pairing,
                    "supporter": p["source"],
                    "recipient": p["target"],
                    "programme": p["pairing_programmes"][i],
                    "start": p["starts"][i],
                    "start_basis": p["start_bases"][i],
                    "ends": ends,
                    "distance_km": km,
                    "east_to_west": geo.east_to_west(*ends) if ends else None,
                }
            )
    return records


def figures(records: list[dict]) -> dict:
    located = [r for r in records if r["ends"]]
    km = [r["distance_km"] for r in located]
    return {
        "mean_km": round(statistics.fmean(km), 1),
        "median_km": round(statistics.median(km), 1),
        "max_km": round(max(km), 1),
        "east_to_west_share": round(sum(r["east_to_west"] for r in located) / len(located), 4),
    }


def close(a: dict, b: dict) -> None:
    """The same figures, within the rounding of a mean of rounded distances."""
    for key, value in b.items():
        assert a[key] == pytest.approx(value, abs=0.11), key


@pytest.fixture(scope="module")
def everything(client) -> dict:
    return geojson(client, {})


@pytest.fixture(scope="module")
def selections(everything) -> list[dict]:
    """The selections the figures are checked on, chosen from the data: all, province level, the programme
    with the most located pairings, a year in which located pairings are active, one supporter."""
    records = pairings_of(everything)
    located = [r for r in records if r["ends"]]
    programme = max(
        {r["programme"] for r in located if r["programme"]},
        key=lambda p: (sum(r["programme"] == p for r in located), p),
    )
    starts = sorted(r["start"] for r in located if r["start"] is not None)
    supporter = max({r["supporter"] for r in located}, key=lambda s: (sum(r["supporter"] == s for r in located), s))
    return [
        {},
        {"level": "province"},
        {"programme": programme},
        {"year": starts[len(starts) // 2]},
        {"supporter": supporter, "include_subunits": "false"},
        {"supporter_level": "province", "recipient_level": "prefecture", "min_confidence": "medium"},
    ]


def test_the_catalogue_lists_them_with_definitions_and_by(client):
    listing = {a["name"]: a for a in client.get("/analysis").json()["analyses"]}
    for name in GEOGRAPHY:
        assert listing[name]["definition"] and listing[name]["views"] == ["support"]
        assert ("by" in listing[name]["parameters"]) == (name == "distance-by")
    spec = client.get("/openapi.json").json()
    parameters = {p["name"]: p for p in spec["paths"]["/analysis/{name}"]["get"]["parameters"]}
    enum = [
        e
        for part in parameters["by"]["schema"].get("anyOf", [parameters["by"]["schema"]])
        for e in part.get("enum", [])
    ]
    assert enum == list(GROUPS)
    assert set(GEOGRAPHY) <= set(parameters["name"]["schema"]["enum"])


def test_distances_are_the_geojson_lines_measured(client, selections):
    for params in selections:
        collection = geojson(client, params)
        records = pairings_of(collection)
        located = {r["pairing"]: r for r in records if r["ends"]}
        body = analysis(client, "distances", params)
        rows = {r["pairing"]: r for r in body["rows"]}
        assert set(rows) == set(located), params
        for pairing, row in rows.items():
            want = located[pairing]
            assert row["distance_km"] == pytest.approx(want["distance_km"], abs=0.05), (params, pairing)
            assert row["east_to_west"] == want["east_to_west"]
            assert (row["supporter"]["id"], row["recipient"]["id"]) == (want["supporter"], want["recipient"])
            assert [row["supporter"]["longitude"], row["supporter"]["latitude"]] == list(want["ends"][0])
            assert row["programme"]["id"] == want["programme"]
            assert (row["start"], row["start_basis"]) == (want["start"], want["start_basis"])
        km = [r["distance_km"] for r in body["rows"]]
        assert km == sorted(km, reverse=True)
        summary = body["summary"]
        assert (summary["pairings"], summary["located"], summary["unlocated"]) == (
            len(records),
            len(located),
            len(records) - len(located),
        )
        assert {u["pairing"] for u in summary["unlocated_pairings"]} == {r["pairing"] for r in records if not r["ends"]}
        if located:
            close(summary, figures(records))
        # the unlocated ends are those the GeoJSON counts as unlocated
        unlocated = {i["id"] for i in collection["pakg"]["unlocated"]["items"]}
        assert {n for u in summary["unlocated_pairings"] for n in u["without_point"]} <= unlocated


def test_province_distances_differ_from_as_paired(client):
    paired = analysis(client, "distances", {})
    provinces = analysis(client, "distances", {"level": "province"})
    assert paired["summary"]["located"] and provinces["summary"]["located"]
    assert paired["summary"]["mean_km"] != provinces["summary"]["mean_km"]
    ends = [r[side]["level"] for r in provinces["rows"] for side in ("supporter", "recipient")]
    assert {network.RANK[level] for level in ends} == {1}  # provinces, municipalities, autonomous regions
    assert provinces["level"] == "province"


@pytest.mark.parametrize("by", GROUPS)
def test_distance_by_groups_the_measured_pairings(client, selections, by):
    for params in selections[:3]:
        records = pairings_of(geojson(client, {**params}))
        groups = defaultdict(list)
        for r in records:
            groups[r[by]].append(r)
        want = {g: rs for g, rs in groups.items() if any(r["ends"] for r in rs)}
        rows = analysis(client, "distance-by", {**params, "by": by})["rows"]
        assert {r[by]["id"] for r in rows} == set(want), (params, by)
        for row in rows:
            group = want[row[by]["id"]]
            assert row["pairings"] == len(group) and row["located"] == sum(1 for r in group if r["ends"])
            close(row, figures(group))
        assert [r["located"] for r in rows] == sorted((r["located"] for r in rows), reverse=True)


def test_distance_by_defaults_to_programme_and_names_a_bad_by(client, catalog):
    default = analysis(client, "distance-by", {})
    assert default["rows"] == analysis(client, "distance-by", {"by": "programme"})["rows"]
    assert all("programme" in r for r in default["rows"])
    bad = client.get("/analysis/distance-by", params={"by": "field"})
    assert bad.status_code == 422 and bad.json()["parameter"] == "by"
    with pytest.raises(BadParameter) as raised:
        compute_analysis(catalog, "distance-by", by="field")
    assert raised.value.name == "by"
    wrong_view = client.get("/analysis/centroids", params={"view": "co-supporters"})
    assert wrong_view.status_code == 422 and wrong_view.json()["parameter"] == "view"


def test_centroids_are_those_of_the_recipients_points(client, selections):
    for params in selections[:3]:
        collection = geojson(client, params)
        points = {
            f["id"]: tuple(f["geometry"]["coordinates"])
            for f in collection["features"]
            if f["properties"]["feature"] == "node" and f["geometry"]
        }
        recipients = defaultdict(set)
        for f in collection["features"]:
            if f["properties"]["feature"] == "edge":
                recipients[f["properties"]["source"]].add(f["properties"]["target"])
        want = {s for s, rs in recipients.items() if s in points and rs & set(points)}
        rows = analysis(client, "centroids", params)["rows"]
        assert {r["supporter"]["id"] for r in rows} == want, params
        for row in rows:
            s = row["supporter"]["id"]
            located = sorted(recipients[s] & set(points))
            centre = geo.centroid(points[r] for r in located)
            assert (row["recipients"], row["located_recipients"]) == (len(recipients[s]), len(located))
            assert (row["centroid_longitude"], row["centroid_latitude"]) == pytest.approx(centre, abs=1e-6)
            assert row["distance_km"] == pytest.approx(geo.distance_km(points[s], centre), abs=0.051)
            spread = statistics.fmean(geo.distance_km(points[r], centre) for r in located)
            assert row["spread_km"] == pytest.approx(spread, abs=0.051)


def test_distance_over_time_groups_by_start_year(client, selections):
    for params in (selections[0], selections[2], {"stated_years_only": "true"}):
        records = pairings_of(geojson(client, params))
        years = defaultdict(list)
        for r in records:
            if r["start"] is not None:
                years[r["start"]].append(r)
        want = {y: rs for y, rs in years.items() if any(r["ends"] for r in rs)}
        body = analysis(client, "distance-over-time", params)
        assert [r["year"] for r in body["rows"]] == sorted(want), params
        for row in body["rows"]:
            group = want[row["year"]]
            stated = sum(1 for r in group if r["start_basis"] == "stated")
            assert (row["pairings"], row["located"], row["stated"], row["inferred"]) == (
                len(group),
                sum(1 for r in group if r["ends"]),
                stated,
                len(group) - stated,
            )
            close(row, figures(group))
        assert body["summary"]["without_start"] == sum(1 for r in records if r["start"] is None)
        if params.get("stated_years_only"):
            assert all(r["inferred"] == 0 for r in body["rows"])


def test_a_selection_with_no_located_pairing_has_no_rows_and_says_so(client, everything):
    unlocated = {i["id"] for i in everything["pakg"]["unlocated"]["items"]}
    edges = [f["properties"] for f in everything["features"] if f["properties"]["feature"] == "edge"]
    targets = sorted({e["target"] for e in edges if e["target"] in unlocated})
    assert targets, "the curated data has recipients without a point (the gazetteer's gaps)"
    params = {"recipient": targets[0], "include_subunits": "false"}
    expected = sum(len(e["ids"]) for e in edges if e["target"] == targets[0])
    for name in GEOGRAPHY:
        body = analysis(client, name, params)
        summary = body["summary"]
        assert body["rows"] == [], name
        assert (summary["pairings"], summary["located"], summary["unlocated"]) == (expected, 0, expected), name
        assert summary["mean_km"] is None and "no distance" in summary["note"], name
        assert {n for u in summary["unlocated_pairings"] for n in u["without_point"]} >= {targets[0]}
    nothing = analysis(client, "distances", {"year": 1900})
    assert nothing["rows"] == [] and nothing["summary"]["pairings"] == 0 and "nothing" in nothing["summary"]["note"]


@pytest.fixture(scope="module")
def catalog(engine, base):
    return ReadModel(engine, base)


def test_the_graph_layer_gives_the_same_answer(client, catalog):
    for name in GEOGRAPHY:
        assert ANALYSES[name].geographic
        direct = compute_analysis(catalog, name, level="province")
        served = analysis(client, name, {"level": "province"})
        if direct["version"] == served["version"]:
            assert len(direct["rows"]) == len(served["rows"]) and direct["summary"] == served["summary"]


def pakg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pakg", "analyze", *args], capture_output=True, text=True, timeout=180)


def unlabelled(value):
    """An answer without the ``label`` the API adds in the asked language (the CLI gives both labels only)."""
    if isinstance(value, dict):
        return {k: unlabelled(v) for k, v in value.items() if k != "label"}
    if isinstance(value, list):
        return [unlabelled(v) for v in value]
    return value


def test_the_cli_answers_as_the_api(client, selections):
    result = pakg("distances", "--level", "as-paired", "--format", "json")
    assert result.returncode == 0, result.stderr
    cli = json.loads(result.stdout)
    api = analysis(client, "distances", {})
    assert cli["version"] == api["version"]
    assert cli["rows"] == unlabelled(api["rows"]) and cli["summary"] == api["summary"]

    table = pakg("distance-by", "--level", "province", "--by", "recipient", "--format", "csv")
    assert table.returncode == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    served = analysis(client, "distance-by", {"level": "province", "by": "recipient"})["rows"]
    assert [r["recipient"] for r in rows] == [r["recipient"]["id"] for r in served]
    assert {"recipient_longitude", "recipient_latitude", "mean_km", "east_to_west_share"} <= set(rows[0])
    assert [float(r["mean_km"]) for r in rows] == [r["mean_km"] for r in served]

    programme = selections[2]["programme"]
    for name in ("centroids", "distance-over-time"):
        out = pakg(name, "--level", "as-paired", "--programme", programme, "--format", "json")
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["rows"] == unlabelled(analysis(client, name, {"programme": programme})["rows"])

    people = pakg("distances", "--level", "province")
    assert people.returncode == 0 and "distances on the support network at province level" in people.stdout
    assert "mean_km" in people.stdout

    bad = pakg("distance-by", "--by", "field")
    assert bad.returncode == 2 and "--by" in bad.stderr
