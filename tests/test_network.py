"""Network projections and analyses: hand-checked small graphs, the real data, exports re-read by networkx."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import networkx as nx
import pytest

from graph import network
from graph.analyses import compute_analysis
from graph.analyses import betweenness, communities, concentration, degree, hits, pagerank
from graph.readmodel import ReadModel


@pytest.fixture(scope="module")
def catalog(engine, base):
    return ReadModel(engine, base)


def ids(rows, key="node"):
    return [r[key]["id"] for r in rows]


# ---- small graphs, exact values ---------------------------------------------------------------

def test_degree_and_strength_on_a_star():
    g = nx.DiGraph()
    for leaf, n in (("a", 1), ("b", 2), ("c", 3)):
        g.add_edge("hub", leaf, pairings=n)
    rows = {r["node"]: r for r in degree.degree_and_strength(g)}
    assert (rows["hub"]["out_degree"], rows["hub"]["out_strength"]) == (3, 6)
    assert (rows["c"]["in_degree"], rows["c"]["in_strength"]) == (1, 3)


def test_betweenness_exact_and_sampled_on_a_path():
    g = nx.path_graph(5, create_using=nx.DiGraph)
    exact = {r["node"]: r["betweenness"] for r in betweenness.betweenness_centrality(g)}
    assert exact == pytest.approx({0: 0.0, 1: 3 / 12, 2: 4 / 12, 3: 3 / 12, 4: 0.0})
    # every node as a sampled source is the exact measure: the estimator's scaling is right
    assert {v: s for v, s in betweenness.sampled(g, 5).items()} == pytest.approx(exact)


SEEDED = ("import json, networkx as nx\n"
          "from graph.analyses import betweenness, communities, hits\n"
          "g = nx.relabel_nodes(nx.karate_club_graph(), {n: f'actor-{n}' for n in range(34)})\n"
          "print(json.dumps([betweenness.betweenness_centrality(g.to_directed(), k=7),\n"
          "                  communities.louvain_communities(g), hits.hubs_and_authorities(g.to_directed())]))\n")


def test_sampled_measures_are_the_same_in_every_process():
    """The seeded estimate, the Louvain communities and HITS (an iterative solver, started from the
    same vector each time) do not depend on the process: not on the order in which it happens to hash
    the node names (string hashing differs from one Python process to the next), nor on a random start."""
    import json
    import os
    import subprocess
    import sys
    runs = {json.dumps(json.loads(subprocess.run([sys.executable, "-c", SEEDED], capture_output=True, text=True,
                                                 check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout))
            for seed in ("1", "2", "3")}
    assert len(runs) == 1


def test_pagerank_of_a_symmetric_cycle_is_uniform():
    g = nx.cycle_graph(4, create_using=nx.DiGraph)
    assert [round(r["pagerank"], 6) for r in pagerank.pagerank_centrality(g)] == [0.25] * 4


def test_hits_on_separate_equal_parts_scores_them_alike():
    """Four supporters each with one recipient of their own (as ``/analysis/hits?field=cadre`` is): the
    largest singular value is shared, where an eigen-solver's answer depended on its random start and
    could divide by zero (an answer that could not be written as JSON)."""
    g = nx.DiGraph([(f"s{i}", f"r{i}") for i in range(4)])
    rows = hits.hubs_and_authorities(g)
    assert {r["node"]: r["hub"] for r in rows} == pytest.approx({**{f"s{i}": 0.25 for i in range(4)},
                                                                 **{f"r{i}": 0.0 for i in range(4)}})
    assert {r["node"]: r["authority"] for r in rows} == pytest.approx({**{f"s{i}": 0.0 for i in range(4)},
                                                                       **{f"r{i}": 0.25 for i in range(4)}})


def test_gini_values():
    assert concentration.gini([0, 0, 0, 10]) == 0.75
    assert concentration.gini([5, 5]) == 0.0


def test_louvain_finds_the_communities_of_two_cliques_joined_by_one_edge():
    g = nx.barbell_graph(5, 0)
    found = {r["node"]: r["community"] for r in communities.louvain_communities(g)}
    assert len(set(found.values())) == 2
    assert len({found[n] for n in range(5)}) == 1 and len({found[n] for n in range(5, 10)}) == 1


# ---- the real data ---------------------------------------------------------------------------------

@pytest.mark.parametrize("level", network.LEVELS)
def test_aid_flows_one_way(catalog, level):
    result = compute_analysis(catalog, "reciprocity", level=level)
    assert result["rows"] == [] and result["summary"]["reciprocity"] == 0.0
    assert result["summary"]["edges"] > 100


@pytest.mark.parametrize("recipient,supporters", [
    ("kizilsu-kirghiz-autonomous-prefecture", {"jiangsu", "jiangxi", "nanjing"}),
    ("hotan-prefecture", {"beijing", "tianjin", "anhui"}),
])
def test_supporters_at_prefecture_level(catalog, recipient, supporters):
    graph = network.project(catalog, "support", "prefecture", recipient=recipient)
    target = catalog.iri("actor", recipient)
    assert {graph.nodes[n]["id"] for n in graph.predecessors(target)} == supporters
    # Nanjing comes in through the Children's Hospital of Nanjing (PR-0155); Jiangsu's hospitals roll up to it
    assert set(graph.nodes) == {target} | {catalog.iri("actor", s) for s in supporters}


def test_the_contracting_chain_from_a_central_directive_to_a_doctor(catalog):
    rows = compute_analysis(catalog, "paths", source="I-XJ-MED-2016", target="case-person-l")["rows"]
    assert [(r["node"]["id"], r["relation"]) for r in rows] == [
        ("I-XJ-MED-2016", None), ("P-XJ-MED-2016", "governs"), ("PR-CASE-JK", "includes"),
        ("case-team-10", "sends"), ("case-person-l", "member")]
    rows = compute_analysis(catalog, "paths", source="xi-jinping", target="case-l-mentees")["rows"]
    assert [r["node"]["id"] for r in rows] == ["xi-jinping", "I-CASE-XI-INSTR", "PR-CASE-JK", "PR-CASE-L",
                                               "case-l-mentees"]
    assert rows[0]["node"]["label_zh"] == "习近平" and rows[-1]["node"]["label_en"].startswith("Three young doctors")


def test_governance_coverage(catalog):
    result = compute_analysis(catalog, "coverage")
    assert result["summary"] == {"pairings": 221, "without_bilateral_agreement": 214, "without_any_instrument": 0,
                                 "nodes": 223, "edges": 199}
    rows = {r["node"]["id"]: r for r in result["rows"]}
    assert (rows["PR-0153"]["soft_law"], rows["PR-0153"]["hard_law"]) == (1, 1)
    assert rows["PR-0109"]["bilateral_agreement"] is True


def test_concentration_and_components_and_hubs(catalog):
    conc = compute_analysis(catalog, "concentration", level="prefecture", programme="P-XJ-2010")
    assert 0 < conc["summary"]["gini_pairings_per_recipient"] < 1
    hits = compute_analysis(catalog, "hits", level="province", programme="P-XJ-2010")["rows"]
    assert max(hits, key=lambda r: r["authority"])["node"]["id"] == "xinjiang"  # recipients are authorities
    hubs = sorted(hits, key=lambda r: -r["hub"])
    assert hubs[0]["hub"] > 0 and hubs[0]["authority"] == 0.0  # supporters are hubs
    comps = compute_analysis(catalog, "components", level="province", programme="P-XJ-2010")
    assert comps["rows"][0]["component"] == 0 and comps["rows"][0]["size"] >= 20


def test_temporal_snapshots(catalog):
    rows = {r["year"]: r for r in compute_analysis(catalog, "temporal")["rows"]}
    assert min(rows) == 1979 and rows[1979]["new_pairings"] == 8
    # a pairing without a start year counts from its programme's start year
    from graph.config import DATA_DIR
    programmes = {r["id"]: r for r in csv.DictReader((DATA_DIR / "reference" / "programmes.csv").open())}
    pairings = list(csv.DictReader((DATA_DIR / "reference" / "pairings.csv").open()))
    pairings += list(csv.DictReader((DATA_DIR / "case" / "pairings.csv").open()))

    def begun(year):
        return sum(1 for p in pairings
                   if (p["start_year"] or (programmes[p["programme"]]["start_year"] if p["programme"] else "")) == str(year))
    assert rows[2008]["new_pairings"] == begun(2008) == 43
    assert rows[2010]["new_pairings"] == begun(2010) == 81


def test_co_support_projections(catalog):
    co = network.project(catalog, "co-supporters", "institution")
    edge = co.edges[catalog.iri("actor", "fujian"), catalog.iri("actor", "hunan")]
    assert edge["weight"] == 2 and sorted(edge["shared"]) == ["li-county", "pengzhou-city"]
    rec = network.project(catalog, "co-recipients", "institution")
    assert rec.edges[catalog.iri("actor", "fuhai-county"), catalog.iri("actor", "fuyun-county")]["weight"] == 1


def test_governance_and_micro_views(catalog):
    gov = network.project(catalog, "governance")
    rel = {(gov.nodes[a]["id"], gov.nodes[b]["id"]): d["relation"] for a, b, d in gov.edges(data=True)}
    assert rel[("I-REAL-70", "P-XJ-MED-2016")] == "authorizes"
    assert rel[("I-XJ-MED-2016", "P-XJ-MED-2016")] == "governs"
    assert rel[("P-XJ-MED-2016", "PR-CASE-JK")] == "includes"
    assert rel[("PR-CASE-JK", "PR-CASE-L")] == "contracts"
    micro = network.project(catalog, "micro")
    iri = lambda a: catalog.iri("actor", a)  # noqa: E731
    assert micro.edges[iri("case-person-z"), iri("case-person-c")]["relations"] == ["political-performance"]
    assert micro.edges[iri("case-person-l"), iri("case-l-mentees")]["relations"] == ["mentorship", "skill"]
    assert "team" in micro.edges[iri("case-person-l"), iri("case-team-10")]["relations"]


# ---- exports re-read by networkx ---------------------------------------------------------------

def reread(fmt: str, body: bytes, directed: bool) -> nx.Graph:
    if fmt == "graphml":
        return nx.parse_graphml(body.decode())
    if fmt == "gexf":
        return nx.read_gexf(io.BytesIO(body))
    if fmt == "node-link":
        return nx.node_link_graph(json.loads(body), edges="links")
    return nx.cytoscape_graph(json.loads(body), name="label_en", ident="iri")


@pytest.mark.parametrize("view", network.VIEWS)
@pytest.mark.parametrize("fmt", ["graphml", "gexf", "node-link", "cytoscape"])
def test_every_export_rereads_to_the_same_nodes_and_edges(catalog, view, fmt):
    graph = network.project(catalog, view, "prefecture")
    back = reread(fmt, network.serialize(graph, fmt), graph.is_directed())
    assert set(back.nodes) == set(graph.nodes)  # IRIs in every format
    edges = {(a, b) for a, b in back.edges}
    want = set(graph.edges)
    if not graph.is_directed():
        edges |= {(b, a) for a, b in edges}
        want |= {(b, a) for a, b in want}
    assert edges == want


def test_csv_nodes_and_edges(catalog):
    graph = network.project(catalog, "support", "province")
    nodes = list(csv.DictReader(io.StringIO(network.serialize(graph, "csv", "nodes").decode())))
    edges = list(csv.DictReader(io.StringIO(network.serialize(graph, "csv", "edges").decode())))
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    assert {"source", "target", "pairings", "first_year", "last_year", "ids"} <= set(edges[0])


# ---- interfaces -------------------------------------------------------------------------------------

def test_cli_analyze_json():
    result = subprocess.run([sys.executable, "-m", "pakg", "analyze", "degree", "--level", "prefecture",
                             "--recipient", "hotan-prefecture", "--format", "json"],
                            capture_output=True, text=True, timeout=120)
    body = json.loads(result.stdout)
    assert {r["node"]["id"] for r in body["rows"]} == {"hotan-prefecture", "beijing", "tianjin", "anhui"}


def test_api_lists_and_runs_analyses(client):
    listing = client.get("/analysis").json()
    assert {a["name"] for a in listing["analyses"]} == {
        "degree", "betweenness", "pagerank", "hits", "components", "communities", "reciprocity", "concentration",
        "coverage", "paths", "temporal"}
    assert all(a["definition"] and "view" in a["parameters"] for a in listing["analyses"])
    body = client.get("/analysis/reciprocity", params={"level": "province"}).json()
    assert body["rows"] == [] and body["summary"]["reciprocal_pairs"] == 0
    paths = client.get("/analysis/paths", params={"source": "I-XJ-MED-2016", "target": "case-person-l"},
                       headers={"Accept-Language": "zh"}).json()
    assert paths["rows"][-1]["node"]["label"] == "L"
    assert client.get("/analysis/astrology").status_code == 404
    bad = client.get("/analysis/degree", params={"view": "gossip"})
    assert bad.status_code == 422 and bad.json()["parameter"] == "view"
    nopath = client.get("/analysis/paths", params={"source": "case-person-l", "target": "xi-jinping"})
    assert nopath.status_code == 422


@pytest.mark.parametrize("view", network.VIEWS)
def test_api_network_views(client, view):
    body = client.get("/network", params={"view": view, "level": "province"}).json()
    assert body["nodes"] and all(n["label_zh"] and n["label_en"] for n in body["nodes"])


@pytest.mark.parametrize("directed", [True, False])
def test_our_brandes_accumulation_equals_networkx_exactly(directed):
    g = nx.gnp_random_graph(60, 0.08, seed=3, directed=directed)
    n = g.number_of_nodes()
    ours = betweenness.dependencies(g, list(g))
    exact = nx.betweenness_centrality(g, normalized=True)
    assert {v: ours.get(v, 0.0) / ((n - 1) * (n - 2)) for v in g} == pytest.approx(exact, abs=1e-12)


def test_sampled_betweenness_estimates_the_exact_ranking():
    g = nx.gnp_random_graph(300, 0.02, seed=5, directed=True)
    exact = {r["node"]: r["betweenness"] for r in betweenness.betweenness_centrality(g)}
    estimate = {r["node"]: r["betweenness"] for r in betweenness.betweenness_centrality(g, k=150)}
    top_exact = set(sorted(exact, key=exact.get, reverse=True)[:10])
    top_estimate = set(sorted(estimate, key=estimate.get, reverse=True)[:10])
    assert len(top_exact & top_estimate) >= 5


def test_cli_exports_a_network(tmp_path):
    out = tmp_path / "support.graphml"
    result = subprocess.run([sys.executable, "-m", "pakg", "export", "--network", "support", "--level",
                             "prefecture", "--recipient", "hotan-prefecture", "--format", "graphml", "--out",
                             str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(out)
    assert {graph.nodes[n]["key"] for n in graph} == {"hotan-prefecture", "beijing", "tianjin", "anhui"}
