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
from graph.analyses import betweenness, communities, compute_analysis, concentration, degree, hits, pagerank
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
    # Jiangsu's cities through their counties: Suzhou–Atushi (PR-0252), Changzhou–Wuqia (PR-0256), Wuxi–Akqi (PR-0258)
    ("kizilsu-kirghiz-autonomous-prefecture", {"jiangsu", "jiangxi", "nanjing", "changzhou", "suzhou", "wuxi"}),
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
    result = compute_analysis(catalog, "coverage", include_case=True)
    assert result["summary"] == {"pairings": 305, "without_bilateral_agreement": 276, "without_any_instrument": 0,
                                 "nodes": 309, "edges": 278}
    # the support network it is counted on leaves the case's two micro-relations out unless asked (issue 16)
    default = compute_analysis(catalog, "coverage")["summary"]
    assert (default["nodes"], default["edges"], default["pairings"]) == (305, 276, 305)
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
    assert rows[2010]["new_pairings"] == begun(2010) == 102


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
    return nx.cytoscape_graph(json.loads(body), name="label_en", ident="id")


@pytest.mark.parametrize("view", network.VIEWS)
@pytest.mark.parametrize("fmt", ["graphml", "gexf", "node-link", "cytoscape"])
def test_every_export_rereads_to_the_same_nodes_and_edges(catalog, view, fmt):
    graph = network.project(catalog, view, "prefecture")
    back = reread(fmt, network.serialize(graph, fmt), graph.is_directed())
    short = {n: d["id"] for n, d in graph.nodes(data=True)}
    assert set(back.nodes) == set(short.values())  # the short ids in every format (issue 16)
    edges = {(a, b) for a, b in back.edges}
    want = {(short[a], short[b]) for a, b in graph.edges}
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
        "coverage", "paths", "temporal", "distances", "distance-by", "centroids", "distance-over-time"}
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
    assert set(graph.nodes) == {"hotan-prefecture", "beijing", "tianjin", "anhui"}  # the short ids


# ---- what an edge says of its pairings: a small read model, every format read back ------------------

def tiny_model():
    """A read model of eight actors, three sources and five pairings, made without a store: the rank of the
    new levels, confidence, sources and years stated or inferred, whatever the curated data is today."""
    from graph.config import DEFAULT_BASE as B
    from graph.config import PA
    from graph.readmodel import Pairing, ReadModel, Resource, SourceInfo

    def actor(ident, zh, level, parent=None, confidence="high"):
        return Resource(f"{B}actor/{ident}", ident, "actor", zh, ident.replace("-", " ").title(), {PA + "Actor"},
                        [], level, f"{B}actor/{parent}" if parent else None, confidence)

    resources = [
        actor("shanghai", "上海市", "municipality"), actor("xinjiang", "新疆维吾尔自治区", "province"),
        actor("kashgar", "喀什地区", "prefecture", "xinjiang"), actor("bachu", "巴楚县", "county", "kashgar"),
        actor("aksu-city", "阿克苏市", "county-city", "kashgar", "medium"),
        actor("urumqi", "乌鲁木齐市", "city", "xinjiang"), actor("tianshan", "天山区", "district", "urumqi"),
        actor("xpcc", "新疆生产建设兵团", "xpcc-corps"), actor("xpcc-3", "第三师", "xpcc-division", "xpcc", "medium"),
        actor("regiment-44", "四十四团", "xpcc-regiment", "xpcc-3", "low"),
        actor("ranch-3", "伽师总场", "xpcc-ranch", "xpcc-3"),
        Resource(f"{B}programme/P-1", "P-1", "programme", "工程", "Programme", {PA + "Programme"}, start=2010,
                 end=2020, start_basis="stated", end_basis="stated"),
    ]
    sources = {f"{B}source/{i}": SourceInfo(f"{B}source/{i}", i, title, kind, None, None, None, None)
               for i, title, kind in (("S-gov", "国务院通知", "official"), ("S-novel", "某网络小说", "fiction-forum"),
                                      ("S-daily", "新疆日报", "state-media"))}

    def pairing(ident, sup, rec, confidence, srcs, start=None, end=None, start_basis=None, end_basis=None):
        return Pairing(f"{B}pairing/{ident}", ident, ident, ident, "pairing", f"{B}actor/{sup}", f"{B}actor/{rec}",
                       None, ["comprehensive"], "traditional", f"{B}programme/P-1", start, end, None, confidence,
                       tuple(f"{B}source/{s}" for s in srcs), start_basis, end_basis)

    m = ReadModel.__new__(ReadModel)
    m.engine, m.base, m.version, m._memo = None, B, "tiny", {}
    m.resources = {r.iri: r for r in resources}
    m.children = {}
    for r in resources:
        if r.parent:
            m.children.setdefault(r.parent, []).append(r.iri)
    m.sources, m.source_urls, m.merged, m.coverage, m.gaps = sources, {}, {}, [], []
    m.vocabulary = {"confidenceLevels": ["high", "low", "medium"], "fields": ["comprehensive"],
                    "modes": ["traditional"],
                    "sourceKinds": ["academic", "copy", "fiction-forum", "official", "secondary", "state-media"]}
    m.pairings = [m._with_programme_years(p) for p in (
        pairing("PR-1", "shanghai", "bachu", "high", ["S-gov"], 2010, None, "stated"),
        pairing("PR-2", "shanghai", "aksu-city", "low", ["S-novel"]),  # the programme's years
        pairing("PR-3", "shanghai", "tianshan", "medium", ["S-novel", "S-daily"], 2014, None, "anniversary",
                "continued"),
        pairing("PR-4", "shanghai", "regiment-44", "low", ["S-gov"], 2011, 2016, "stated", "stated"),
        pairing("PR-5", "shanghai", "ranch-3", "medium", ["S-daily"], 2012, 2015, "later-source", "stated"),
    )]
    m.pairing_by_iri = {p.iri: p for p in m.pairings}
    m.positions = {"supporter": {}, "recipient": {}}
    for n, p in enumerate(m.pairings):
        m.positions["supporter"].setdefault(p.supporter, []).append(n)
        m.positions["recipient"].setdefault(p.recipient, []).append(n)
    m.sub_pairings, m.backs, m.edges, m.governed_by, m.authorised_by, m.part_of = {}, {}, {}, {}, {}, {}
    m.by_label = {}
    for r in resources:
        m.by_label.setdefault(r.label_zh.casefold(), set()).add(r.iri)
    m.points = {}  # no points (tests/test_geojson.py gives this model some)
    return m


@pytest.fixture(scope="module")
def tiny():
    return tiny_model()


def edge(graph, a, b, base=None):
    from graph.config import DEFAULT_BASE
    return graph.edges[f"{DEFAULT_BASE}actor/{a}", f"{DEFAULT_BASE}actor/{b}"]


@pytest.mark.parametrize("level,rank", [("municipality", 1), ("prefecture", 2), ("city", 2), ("county", 3),
                                        ("district", 3), ("county-city", 3), ("xpcc-regiment", 3), ("xpcc-ranch", 3),
                                        ("xpcc-division", 2)])
def test_the_rank_of_each_level(tiny, level, rank):
    iri = next(r.iri for r in tiny.resources.values() if r.level == level) if level != "county" else \
        tiny.iri("actor", "bachu")
    assert network.rank(tiny, iri) == rank


def test_districts_county_cities_and_regiments_roll_up_to_their_prefecture(tiny):
    graph = network.project(tiny, "support", "prefecture")
    assert {(graph.nodes[a]["id"], graph.nodes[b]["id"]) for a, b in graph.edges} == {
        ("shanghai", "kashgar"), ("shanghai", "urumqi"), ("shanghai", "xpcc-3")}
    county = network.project(tiny, "support", "county")
    assert {county.nodes[b]["id"] for _, b in county.edges} == {"bachu", "aksu-city", "tianshan", "regiment-44",
                                                                 "ranch-3"}


def test_a_support_edge_says_its_pairings_confidence_sources_and_years(tiny):
    graph = network.project(tiny, "support", "prefecture")
    kashgar = edge(graph, "shanghai", "kashgar")
    assert kashgar["ids"] == ["PR-1", "PR-2"] and kashgar["confidence"] == "low"
    assert kashgar["confidences"] == ["high", "low"]
    assert kashgar["sources"] == ["S-gov", "S-novel"] and kashgar["source_titles"] == ["国务院通知", "某网络小说"]
    assert kashgar["source_kinds"] == ["official", "fiction-forum"]
    assert kashgar["pairing_sources"] == [["S-gov"], ["S-novel"]]
    assert (kashgar["starts"], kashgar["start_bases"]) == ([2010, 2010], ["stated", "programme"])
    assert (kashgar["ends"], kashgar["end_bases"]) == ([2020, 2020], ["programme", "programme"])
    assert (kashgar["starts_stated"], kashgar["starts_inferred"], kashgar["ends_inferred"]) == (1, 1, 2)
    assert kashgar["years_stated"] is False
    urumqi = edge(graph, "shanghai", "urumqi")  # a source says it continued: no end, and its basis says so
    assert (urumqi["starts"], urumqi["start_bases"], urumqi["ends"], urumqi["end_bases"]) == (
        [2014], ["anniversary"], [None], ["continued"])
    assert graph.nodes[tiny.iri("actor", "kashgar")]["confidence"] == "high"
    co = network.project(tiny, "co-recipients", "prefecture")
    shared = co.edges[tiny.iri("actor", "kashgar"), tiny.iri("actor", "urumqi")]
    assert shared["ids"] == ["PR-1", "PR-2", "PR-3"] and shared["confidence"] == "low"
    assert shared["sources"] == ["S-daily", "S-gov", "S-novel"]


def test_the_fact_filter_leaves_pairings_out_and_says_so(tiny):
    from graph.readmodel import FactFilter
    everything = network.project(tiny, "support", "county")
    assert everything.graph["left_out"] == {"below_confidence": 0, "only_excluded_sources": 0, "years_not_stated": 0}
    facts = network.fact_filter(tiny, "medium", ["fiction-forum"], True)
    kept = network.project(tiny, "support", "county", facts=facts)
    assert sorted(i for *_, d in kept.edges(data=True) for i in d["ids"]) == ["PR-1", "PR-3", "PR-5"]
    assert kept.graph["left_out"] == {"below_confidence": 2, "only_excluded_sources": 0, "years_not_stated": 0}
    assert kept.graph["exclude_source_kinds"] == ["fiction-forum"] and kept.graph["stated_years_only"] is True
    assert "2 below the minimum confidence" in kept.graph["description"]
    assert kept.graph["years_left_out"] == 3 and "(3 pairings with a year left out" in kept.graph["description"]
    # stated years only: an inferred start gives no year and no spell
    assert edge(kept, "shanghai", "tianshan")["spells"] == [] and edge(kept, "shanghai", "tianshan")["starts"] == [None]
    assert edge(kept, "shanghai", "ranch-3")["spells"] == [] and edge(kept, "shanghai", "ranch-3")["ends"] == [2015]
    # PR-1 starts in a stated 2010 but ends with its programme: no period known from stated years alone
    assert edge(kept, "shanghai", "bachu")["spells"] == [] and edge(kept, "shanghai", "bachu")["starts"] == [2010]
    fiction = network.project(tiny, "support", "county",
                              facts=FactFilter(exclude_source_kinds=frozenset({"fiction-forum"})))
    assert fiction.graph["left_out"]["only_excluded_sources"] == 1  # PR-2; PR-3 has a newspaper too
    in_2013 = network.project(tiny, "support", "county", facts=FactFilter(stated_years_only=True), year=2013)
    # PR-1 (its end is the programme's), PR-2 (the programme's years), PR-5 (its start from a later source)
    assert in_2013.graph["left_out"]["years_not_stated"] == 3
    assert in_2013.graph["filters"] == {"year": 2013}
    assert network.project(tiny, "support", "county", year=2013).number_of_edges() == 4  # the cache keys the facts


def test_unknown_fact_filter_values_name_their_parameter(tiny):
    from graph.errors import BadParameter
    with pytest.raises(BadParameter) as bad:
        network.fact_filter(tiny, "certain")
    assert bad.value.name == "min_confidence"
    with pytest.raises(BadParameter) as bad:
        network.fact_filter(tiny, None, ["blog"])
    assert bad.value.name == "exclude_source_kind"


def _split(text):
    return text.split(";") if text != "" else []


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv", "node-link", "cytoscape"])
@pytest.mark.parametrize("stated", [False, True])
def test_confidence_sources_and_year_bases_round_trip_through_every_format(tiny, fmt, stated):
    """What an edge says of its pairings comes back from each file: read by networkx (GraphML, GEXF, the
    JSON formats) or csv, with stated and inferred years told apart."""
    import xml.etree.ElementTree as ET

    from graph.readmodel import FactFilter
    facts = FactFilter(stated_years_only=stated)
    graph = network.project(tiny, "support", "prefecture", facts=facts)
    body = network.serialize(graph, fmt)
    want = {(graph.nodes[a]["id"], graph.nodes[b]["id"]): d for a, b, d in graph.edges(data=True)}
    if fmt == "csv":
        rows = {(r["source"], r["target"]): r for r in csv.DictReader(io.StringIO(body.decode()))}
        got = {k: {**r, "starts_stated": int(r["starts_stated"]), "years_stated": r["years_stated"] == "True"}
               for k, r in rows.items()}
        nodes = {r["id"]: r for r in csv.DictReader(io.StringIO(network.serialize(graph, "csv", "nodes").decode()))}
        assert nodes["xpcc-3"]["confidence"] == "medium"
    else:
        back = reread(fmt, body, True)
        short = lambda n: n.rsplit("/", 1)[-1]  # noqa: E731  (the nodes are the short ids in every format)
        got = {(short(a), short(b)): d for a, b, d in back.edges(data=True)}
        assert {short(n): back.nodes[n]["confidence"] for n in back}["xpcc-3"] == "medium"
        meta = back.graph
        if fmt == "gexf":
            root = ET.fromstring(body)
            ns = {"g": root.tag.split("}")[0][1:]}
            meta = {"description": root.find("g:meta/g:description", ns).text}
        elif fmt == "cytoscape":
            meta = json.loads(body)["data"]
        assert ("Years: only those a source states" in meta["description"]) is stated
        if fmt != "gexf":
            left = meta["left_out"] if isinstance(meta["left_out"], dict) else json.loads(meta["left_out"])
            assert left == graph.graph["left_out"]
            assert meta["stated_years_only"] is stated
    assert set(got) == set(want)
    for k, d in want.items():
        g = got[k]
        as_text = fmt in ("graphml", "gexf", "csv")
        listed = (lambda v: _split(v)) if as_text else (lambda v: v)
        # a list aligned with the ids has one value per pairing, empty ones included
        aligned = (lambda v: v.split(";")) if as_text else (lambda v: v)
        cell = (lambda v: "" if v is None else str(v)) if as_text else (lambda v: v)
        assert g["confidence"] == d["confidence"]
        assert listed(g["ids"]) == d["ids"]
        assert aligned(g["confidences"]) == d["confidences"]
        assert listed(g["sources"]) == d["sources"] and listed(g["source_titles"]) == d["source_titles"]
        assert aligned(g["start_bases"]) == d["start_bases"] and aligned(g["end_bases"]) == d["end_bases"]
        assert aligned(g["starts"]) == [cell(s) for s in d["starts"]]
        assert aligned(g["ends"]) == [cell(e) for e in d["ends"]]
        if as_text:
            assert [_split(s.replace("|", ";")) for s in aligned(g["pairing_sources"])] == d["pairing_sources"]
        else:
            assert g["pairing_sources"] == d["pairing_sources"]
        assert g["starts_stated"] == d["starts_stated"] and g["years_stated"] is d["years_stated"]
        if fmt == "gexf":  # the time spells: only stated years when asked
            spells = sorted(int(s[0][:4]) for s in g.get("spells", []))
            assert spells == sorted(s for s, _ in d["spells"])
    if stated:
        kashgar = want[("shanghai", "kashgar")]
        # the inferred year is left out; its basis says why the cell is empty
        assert kashgar["starts"] == [2010, None] and kashgar["start_bases"] == ["stated", "programme"]
        assert kashgar["ends"] == [None, None] and kashgar["end_bases"] == ["programme", "programme"]


def test_graphml_declares_every_knowledge_attribute_with_its_type(tiny):
    import xml.etree.ElementTree as ET
    body = network.serialize(network.project(tiny, "support", "county"), "graphml")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in ET.fromstring(body).findall("g:key", ns)}
    for name in network.EDGE_KNOWLEDGE:
        assert ("edge", name) in keys, name
    assert keys[("edge", "starts_stated")] in ("int", "long") and keys[("edge", "years_stated")] == "boolean"
    assert keys[("node", "confidence")] == "string"
    assert keys[("graph", "left_out_below_confidence")] in ("int", "long")
    assert keys[("graph", "description")] == "string"


def tiny_client(model):
    from types import SimpleNamespace

    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from api.app import add_error_handlers
    from api.deps import snapshot
    from api.routers import network as router

    app = FastAPI()
    add_error_handlers(app)
    app.include_router(router.router)
    app.dependency_overrides[snapshot] = lambda: SimpleNamespace(model=model)
    return TestClient(app)


def test_api_network_filters_label_what_they_left_out(tiny):
    client = tiny_client(tiny)
    everything = client.get("/network", params={"level": "county"})
    assert json.loads(everything.headers["Pakg-Left-Out"]) == {
        "below_confidence": 0, "only_excluded_sources": 0, "years_not_stated": 0}
    asked = {"level": "county", "min_confidence": "medium", "exclude_source_kind": ["fiction-forum", "copy"],
             "stated_years_only": "true"}
    kept = client.get("/network", params=asked)
    body = kept.json()
    assert len(body["links"]) == 3 < len(everything.json()["links"])
    assert body["graph"]["left_out"] == {"below_confidence": 2, "only_excluded_sources": 0, "years_not_stated": 0}
    assert json.loads(kept.headers["Pakg-Left-Out"]) == body["graph"]["left_out"]
    assert json.loads(kept.headers["Pakg-Filters"])["exclude_source_kinds"] == ["copy", "fiction-forum"]
    assert body["graph"]["min_confidence"] == "medium" and body["graph"]["stated_years_only"] is True
    assert all(link["confidence"] in ("high", "medium") and link["sources"] for link in body["links"])
    for fmt in ("graphml", "gexf", "csv", "cytoscape"):
        response = client.get("/network", params={**asked, "format": fmt})
        assert response.status_code == 200 and json.loads(response.headers["Pakg-Left-Out"])["below_confidence"] == 2
    analysis = client.get("/analysis/degree", params=asked)
    assert analysis.status_code == 200 and analysis.json()["left_out"] == body["graph"]["left_out"]
    assert analysis.json()["facts"] == {"min_confidence": "medium", "exclude_source_kinds": ["copy", "fiction-forum"],
                                        "stated_years_only": True}
    for name, value in (("min_confidence", "certain"), ("exclude_source_kind", "blog"),
                        ("stated_years_only", "perhaps")):
        bad = client.get("/network", params={name: value})
        assert bad.status_code == 422 and bad.json()["parameter"] == name, bad.json()
        bad = client.get("/analysis/degree", params={name: value})
        assert bad.status_code == 422 and bad.json()["parameter"] == name, bad.json()


def test_analyses_take_the_fact_filter_and_say_what_it_left_out(tiny):
    from graph.analyses import analysis_catalogue
    facts = network.fact_filter(tiny, None, ["fiction-forum"])
    result = compute_analysis(tiny, "degree", level="county", facts=facts)
    assert result["left_out"]["only_excluded_sources"] == 1 and result["summary"]["edges"] == 4
    assert result["facts"] == {"min_confidence": None, "exclude_source_kinds": ["fiction-forum"],
                               "stated_years_only": False}
    coverage = compute_analysis(tiny, "coverage", facts=network.fact_filter(tiny, "high"))
    assert coverage["summary"]["pairings"] == 1 and coverage["left_out"]["below_confidence"] == 4
    assert all({"min_confidence", "exclude_source_kind", "stated_years_only"} <= set(a["parameters"])
               for a in analysis_catalogue())


# ---- the curated data: every edge says its confidence and sources; a researcher's filtered network ---------

@pytest.mark.parametrize("level", network.LEVELS)
def test_every_exported_support_edge_has_confidence_and_sources(catalog, level):
    graph = network.project(catalog, "support", level)
    assert graph.number_of_edges() > 50
    for a, b, d in graph.edges(data=True):
        assert d["confidence"] in ("high", "medium", "low") and d["sources"], (a, b)
        assert len(d["confidences"]) == len(d["ids"]) == len(d["start_bases"]) == len(d["pairing_sources"])
        assert all(d["source_titles"]), (a, b)  # titles, not only slugs


@pytest.mark.parametrize("view", network.VIEWS)
def test_every_edge_and_node_of_every_view_has_confidence_and_sources(catalog, view):
    graph = network.project(catalog, view, "prefecture")
    assert all(d["confidence"] and d["sources"] for *_, d in graph.edges(data=True))
    assert all(d["confidence"] for _, d in graph.nodes(data=True))
    if view in ("governance", "chain", "micro"):  # and the rows that state them
        assert all(d["stated_by"] for *_, d in graph.edges(data=True))


def test_a_researcher_leaves_out_fiction_and_inferred_years(catalog, client):
    """Leaving out what rests only on web fiction or forums, and the years no source states, gives a
    smaller network that says so: in /network's JSON, its header and every file's metadata."""
    import xml.etree.ElementTree as ET

    facts = network.fact_filter(catalog, None, ["fiction-forum"], True)
    everything = network.project(catalog, "support", "province")
    kept = network.project(catalog, "support", "province", facts=facts)
    dropped = len(catalog.find_pairings()) - len(catalog.find_pairings(facts=facts))
    assert dropped > 0 and kept.graph["left_out"]["only_excluded_sources"] == dropped
    count = lambda g: sum(d["pairings"] for *_, d in g.edges(data=True))  # noqa: E731
    assert count(kept) == count(everything) - dropped
    for *_, d in kept.edges(data=True):  # the years used are those a source states; so are the spells
        used = [(y, b) for y, b in zip(d["starts"] + d["ends"], d["start_bases"] + d["end_bases"], strict=True)]
        assert all(b == "stated" for y, b in used if y is not None)
        assert {s for s, _ in d["spells"]} <= {y for y in d["starts"] if y is not None}
    params = {"level": "province", "exclude_source_kind": "fiction-forum", "stated_years_only": "true"}
    body = client.get("/network", params=params).json()
    assert len(body["links"]) == kept.number_of_edges() < len(client.get("/network", params={"level": "province"})
                                                              .json()["links"])
    assert body["graph"]["left_out"]["only_excluded_sources"] == dropped
    assert body["graph"]["exclude_source_kinds"] == ["fiction-forum"] and body["graph"]["stated_years_only"] is True
    for fmt in ("graphml", "gexf", "csv", "cytoscape"):
        response = client.get("/network", params={**params, "format": fmt})
        assert json.loads(response.headers["Pakg-Left-Out"])["only_excluded_sources"] == dropped
        if fmt == "graphml":
            assert nx.parse_graphml(response.text).graph["left_out_only_excluded_sources"] == dropped
        elif fmt == "gexf":
            root = ET.fromstring(response.content)
            ns = {"g": root.tag.split("}")[0][1:]}
            assert f"{dropped} resting only on sources" in root.find("g:meta/g:description", ns).text
        elif fmt == "cytoscape":
            assert response.json()["data"]["left_out"]["only_excluded_sources"] == dropped
    analysis = client.get("/analysis/degree", params=params).json()
    assert analysis["left_out"]["only_excluded_sources"] == dropped
    assert analysis["facts"]["exclude_source_kinds"] == ["fiction-forum"]


def test_temporal_snapshots_on_stated_years_only(tiny):
    """Asked for stated years only, the snapshots count a pairing only over a period a source states (PR-4,
    2011–2016); a start inferred from the programme or from a later source, or an end inferred, gives none."""
    from graph.readmodel import FactFilter
    every = {r["year"]: r["active_pairings"] for r in compute_analysis(tiny, "temporal", level="county",
                                                                       until=2016)["rows"]}
    stated = {r["year"]: r["active_pairings"] for r in compute_analysis(
        tiny, "temporal", level="county", until=2016, facts=FactFilter(stated_years_only=True))["rows"]}
    assert every[2014] == 5 and stated == {year: 1 for year in range(2011, 2017)}
