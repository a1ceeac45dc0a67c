"""The questions at the end of DOMAIN.md, answered from the data with exact expected results."""
from __future__ import annotations

import csv

from graph import queries
from graph.config import DATA_DIR

from conftest import iri, short, table_count


def table(name: str) -> list[dict[str, str]]:
    """Every row of the data tables of this kind (``pairings`` → every ``data/*/pairings.csv``): the
    expected answers below are read from the tables, the answers themselves come from the graph."""
    return [row for path in sorted(DATA_DIR.glob(f"*/{name}.csv"))
            for row in csv.DictReader(path.open(encoding="utf-8"))]


def ids(value: str) -> list[str]:
    """The ids of a ``;`` list cell."""
    return [v.strip() for v in value.split(";") if v.strip()]


def instruments(engine, pairing_id):
    rows = queries.run(engine, "instruments_for_pairing", pairing=iri("pairing", pairing_id))
    return {(short(r["instrument"]), short(r["kind"]), r["via"], short(r.get("parent", "")),
             short(r.get("programme", "")), short(r.get("authorised", ""))) for r in rows}


SOFT_FIND = """
PREFIX pa: <https://w3id.org/pakg/ontology#>
SELECT ?pairing ?supporter ?region WHERE {
  ?pairing pa:supporter ?supporter ; pa:recipient ?recipient ; pa:field pa:medical ; pa:mode pa:groupStyle .
  ?recipient pa:parentRegion* ?region .
}"""


def test_q1_which_instruments_govern_jiangsu_to_kizilsu(engine):
    from pyoxigraph import NamedNode
    found = engine.select(SOFT_FIND, {"supporter": NamedNode(iri("actor", "jiangsu")),
                                      "region": NamedNode(iri("actor", "kizilsu-kirghiz-autonomous-prefecture"))})
    assert [short(r["pairing"].value) for r in found] == ["PR-0153"]
    assert instruments(engine, "PR-0153") == {
        ("I-XJ-MED-2016", "SoftLaw", "programme", "", "P-XJ-MED-2016", ""),
        ("I-REAL-70", "HardLaw", "authorising-hard-law", "", "", "P-XJ-MED-2016"),
    }


def test_q1_the_papers_case_pairing_and_its_mentorship(engine):
    assert instruments(engine, "PR-CASE-JK") == {
        ("I-CASE-KN-AGR", "SoftLaw", "direct", "", "", ""),
        ("I-CASE-XI-INSTR", "SoftLaw", "direct", "", "", ""),
        ("I-XJ-MED-2016", "SoftLaw", "programme", "", "P-XJ-MED-2016", ""),
        ("I-CONST", "HardLaw", "authorising-hard-law", "", "", "PR-CASE-JK"),
        ("I-REAL", "HardLaw", "authorising-hard-law", "", "", "PR-CASE-JK"),
        ("I-REAL-70", "HardLaw", "authorising-hard-law", "", "", "P-XJ-MED-2016"),
    }
    assert instruments(engine, "PR-CASE-L") == {
        ("I-CASE-KN-AGR", "SoftLaw", "parent-pairing", "PR-CASE-JK", "", ""),
        ("I-CASE-XI-INSTR", "SoftLaw", "parent-pairing", "PR-CASE-JK", "", ""),
        ("I-XJ-MED-2016", "SoftLaw", "parent-programme", "PR-CASE-JK", "P-XJ-MED-2016", ""),
        ("I-CONST", "HardLaw", "authorising-hard-law", "PR-CASE-JK", "", "PR-CASE-JK"),
        ("I-REAL", "HardLaw", "authorising-hard-law", "PR-CASE-JK", "", "PR-CASE-JK"),
        ("I-REAL-70", "HardLaw", "authorising-hard-law", "PR-CASE-JK", "", "P-XJ-MED-2016"),
    }


def test_q1_a_bilateral_agreement_governs_only_its_parties_pairing(engine):
    got = instruments(engine, "PR-0109")
    assert ("I-TJ-HN-AGR", "SoftLaw", "direct", "", "", "") in got
    assert all(row[0] != "I-TJ-HN-AGR" for row in instruments(engine, "PR-0110"))


def test_q1_the_pseudonymous_case_is_linked_to_jiangsu_and_kizilsu_as_an_inference(engine):
    rows = engine.select("""
        PREFIX pa: <https://w3id.org/pakg/ontology#>
        SELECT ?id ?p ?real ?conf WHERE { ?id pa:pseudonymousActor ?p ; pa:identifiedAs ?real ; pa:confidence ?conf }""")
    got = {(short(r["p"].value), short(r["real"].value), short(r["conf"].value)) for r in rows}
    assert got == {("case-j-province", "jiangsu", "medium"),
                   ("case-k-prefecture", "kizilsu-kirghiz-autonomous-prefecture", "medium"),
                   ("case-n-city", "nanjing", "medium"),
                   ("case-n-medical-university", "nanjing-medical-university", "low")}


def test_q2_who_supports_hotan_since_when_in_which_fields(engine):
    rows = queries.run(engine, "supporters_of", region=iri("actor", "hotan-prefecture"))
    got = {(short(r["pairing"]), short(r["supporter"]), short(r["recipient"]), r.get("start"), r["fields"])
           for r in rows}
    assert got == {
        ("PR-0001", "beijing", "hotan-city", 2010, "comprehensive"),
        ("PR-0002", "beijing", "hotan-county", 2010, "comprehensive"),
        ("PR-0003", "beijing", "moyu-county", 2010, "comprehensive"),
        ("PR-0004", "beijing", "lop-county", 2010, "comprehensive"),
        ("PR-0006", "tianjin", "qira-county", 2010, "comprehensive"),
        ("PR-0007", "tianjin", "keriya-county", 2010, "comprehensive"),
        ("PR-0008", "tianjin", "niya-county", 2010, "comprehensive"),
        ("PR-0045", "anhui", "pishan-county", 2010, "comprehensive"),
        # no source gives its own start: the build states its programme's (basis "programme")
        ("PR-0156", "tianjin", "hotan-prefecture-people-s-hospital", 2016, "medical"),
    }
    assert all(r["sources"] for r in rows)


def test_q3_supporters_that_share_a_recipient(engine):
    rows = queries.run(engine, "co_supporters")
    kizilsu_hospital = iri("actor", "kizilsu-prefecture-people-s-hospital")
    pairs = {(short(r["a"]), short(r["b"])) for r in rows if kizilsu_hospital in r["recipients"].split()}
    assert pairs == {
        ("children-s-hospital-of-nanjing", "first-affiliated-hospital-of-nanjing-medical-university-jiangsu-province-hospital"),
        ("children-s-hospital-of-nanjing", "jiangsu"),
        ("first-affiliated-hospital-of-nanjing-medical-university-jiangsu-province-hospital", "jiangsu"),
    }
    top = rows[0]
    assert (short(top["a"]), short(top["b"]), top["shared"]) == ("fujian", "hunan", 2)


def test_q3_recipients_that_share_a_supporter(engine):
    rows = queries.run(engine, "co_recipients")
    heilongjiang = iri("actor", "heilongjiang")
    pairs = {(short(r["a"]), short(r["b"])) for r in rows if r["supporters"].split() == [heilongjiang]}
    # from the tables: the pairs of recipients whose only shared supporter is Heilongjiang
    merged = {m["id"]: m["into"] for m in table("merges")}
    supporters: dict[str, set[str]] = {}
    for p in table("pairings"):
        supporters.setdefault(merged.get(p["recipient"], p["recipient"]), set()).add(
            merged.get(p["supporter"], p["supporter"]))
    expected = {(a, b) for a in supporters for b in supporters
                if a < b and supporters[a] & supporters[b] == {"heilongjiang"}}
    # Xinjiang 2010 (PR-0020..0023), Wenchuan reconstruction (PR-0127) and relief (PR-0132), Tibet from
    # 1994 (PR-0228..0231: Shigatse, which Jilin, Shandong and Shanghai also support, and three counties)
    heilongjiang_only = ["fuhai-county", "fuyun-county", "qinghe-county", "xpcc-10th-division", "jiange-county",
                         "wenjiang-district", "kangmar-county", "rinbung-county", "xaitongmoin-county"]
    assert {(a, b) for a in heilongjiang_only for b in heilongjiang_only if a < b} <= expected
    assert ("shigatse", "xpcc-10th-division") in expected
    assert pairs == expected


def test_q4_how_a_central_instruction_reaches_a_doctor(engine):
    rows = queries.run(engine, "contracting_chain", person=iri("actor", "case-person-l"))
    got = {(short(r.get("team", "")), short(r.get("mentorship", "")), short(r["pairing"]), r["depth"],
            short(r.get("programme", "")), short(r.get("instrument", ""))) for r in rows}
    assert got == {
        ("case-team-10", "", "PR-CASE-JK", 0, "P-XJ-MED-2016", "I-XJ-MED-2016"),
        ("", "PR-CASE-L", "PR-CASE-L", 0, "", ""),
        ("", "PR-CASE-L", "PR-CASE-JK", 1, "P-XJ-MED-2016", "I-XJ-MED-2016"),
    }


def test_q5_pairings_with_no_bilateral_agreement(engine):
    rows = queries.run(engine, "pairings_without_agreement")
    all_pairings = {short(r["s"].value) for r in engine.select(
        "SELECT ?s WHERE { ?s a <https://w3id.org/pakg/ontology#Pairing> }")}
    with_agreement = all_pairings - {short(r["pairing"]) for r in rows}
    # from the tables: a bilateral agreement governs the pairing, its programme, or a pairing above it
    pairings = {p["id"]: p for p in table("pairings")}
    governed = {target for i in table("instruments") if i["type"] == "bilateral-agreement"
                for target in ids(i["governs"])}

    def has_agreement(ident: str) -> bool:
        while ident:
            if ident in governed or pairings[ident]["programme"] in governed:
                return True
            ident = pairings[ident]["parent"]
        return False

    expected = {ident for ident in pairings if has_agreement(ident)}
    # Beijing's launch in Hotan and the XPCC 14th Division, Tianjin–Huangnan, the case and its mentorship
    assert {"PR-0001", "PR-0002", "PR-0003", "PR-0004", "PR-0005", "PR-0109", "PR-CASE-JK", "PR-CASE-L"} <= expected
    assert with_agreement == expected
    assert len(all_pairings) == table_count("pairings")
    assert len(rows) == table_count("pairings") - len(expected)


def test_q6_which_source_says_so(engine):
    # from the tables: each source of the pairing and of the identification, with its URL where it has one
    sources = {s["id"]: s for s in table("sources")}
    [pairing] = [p for p in table("pairings") if p["id"] == "PR-0153"]
    [identification] = [i for i in table("identifications") if i["id"] == "ID-J"]

    def listed(cell: str) -> list[tuple[str, str | None]]:
        return sorted((s, sources[s]["url"] or None) for s in ids(cell))

    rows = queries.run(engine, "sources_of", resource=iri("pairing", "PR-0153"))
    expected = listed(pairing["sources"])
    assert ("S-ksrykj-com", "http://www.ksrykj.com/news/c/2019-07-14/12682794.shtml") in expected
    assert all(url for _, url in expected)  # the pairing rests on web pages: every one has its URL
    assert [(short(r["source"]), r.get("url")) for r in rows] == expected
    rows = queries.run(engine, "sources_of", resource=iri("identification", "ID-J"))
    expected = listed(identification["sources"])
    assert {"S-huang-ding", "S-ksrykj-com", "S-thenewdominion-net"} <= {s for s, _ in expected}
    assert sorted((short(r["source"]), r.get("url")) for r in rows) == expected
    paper = [r for r in rows if short(r["source"]) == "S-huang-ding"][0]
    assert "黄亚新" in paper["citation"] and "url" not in paper


def test_every_resource_of_the_data_has_a_source(engine):
    rows = engine.select("""
        PREFIX pa: <https://w3id.org/pakg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?s WHERE {
          GRAPH ?g { ?s a ?c }
          FILTER(STRENDS(STR(?g), "/graph/data"))
          FILTER(?c NOT IN (pa:Source, pa:Dataset, <http://www.w3.org/2006/time#Instant>))
          FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?src }
        }""")
    assert rows == []


def test_the_rest_governance_index_follows_the_named_query_for_every_pairing(engine, base):
    from graph.readmodel import ReadModel
    model = ReadModel(engine, base)
    query = queries.get("instruments_for_pairing")
    expected: dict[str, set] = {}
    for r in engine.select(query.text):  # unbound: every pairing at once
        row = {k: v.value for k, v in r.items()}
        expected.setdefault(row["pairing"], set()).add(
            (row["instrument"], row["via"], row.get("parent"), row.get("programme"), row.get("authorised")))
    for pairing in model.pairing_by_iri:
        got = {(r.instrument, r.via, r.parent, r.programme, r.authorised) for r in model.governance_rows(pairing)}
        assert got == expected.get(pairing, set()), pairing
    assert sum(len(v) for v in expected.values()) > 1000


# ---- the read model on a tiny graph: confidence, source kinds, the basis of years, merged ids, facts ----

TINY = """
@prefix pa: <https://w3id.org/pakg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix : <http://t.example/id/> .

<http://t.example/id/graph/ontology> {
  pa:high skos:inScheme pa:confidenceLevels ; skos:notation "high" .
  pa:medium skos:inScheme pa:confidenceLevels ; skos:notation "medium" .
  pa:low skos:inScheme pa:confidenceLevels ; skos:notation "low" .
  pa:official skos:inScheme pa:sourceKinds ; skos:notation "official" .
  pa:fictionForum skos:inScheme pa:sourceKinds ; skos:notation "fiction-forum" .
  pa:stated skos:inScheme pa:yearBases ; skos:notation "stated" .
  pa:laterSource skos:inScheme pa:yearBases ; skos:notation "later-source" .
  pa:programmeYear skos:inScheme pa:yearBases ; skos:notation "programme" .
  pa:continued skos:inScheme pa:yearBases ; skos:notation "continued" .
}
<http://t.example/id/graph/data> {
  :dataset a pa:Dataset ; dcterms:hasVersion "tiny" .
  :source\\/S-GOV a pa:Source ; dcterms:title "A plan" ; pa:sourceKind pa:official ; dcterms:publisher "Gov" ;
      dcterms:issued "2010-05"^^xsd:gYearMonth ; pa:url "https://gov.example/plan" .
  :source\\/S-NOVEL a pa:Source ; dcterms:title "A web novel" ; pa:sourceKind pa:fictionForum ;
      pa:originalOutlet "Xinhua" .
  :programme\\/P-1 a pa:Programme ; rdfs:label "计划"@zh-Hans, "Programme"@en ;
      time:hasBeginning [ time:inXSDGYear "2010"^^xsd:gYear ] ; time:hasEnd [ time:inXSDGYear "2020"^^xsd:gYear ] ;
      prov:wasDerivedFrom :source\\/S-GOV .
  :actor\\/a a pa:Actor ; rdfs:label "甲"@zh-Hans, "A"@en ; pa:confidence pa:high ; prov:wasDerivedFrom :source\\/S-GOV ;
      pa:gbCode "650000" .
  :actor\\/b a pa:Actor ; rdfs:label "乙"@zh-Hans, "B"@en ; pa:confidence pa:high ; prov:wasDerivedFrom :source\\/S-GOV .
  :actor\\/b-old owl:sameAs :actor\\/b ; dcterms:isReplacedBy :actor\\/b .
  :fact\\/a-gb_code-1 a rdf:Statement ; rdf:subject :actor\\/a ; rdf:predicate pa:gbCode ; rdf:object "650000" ;
      prov:wasDerivedFrom :source\\/S-GOV .
  :pairing\\/PR-1 a pa:Pairing ; rdfs:label "甲—乙"@zh-Hans, "A–B"@en ; pa:supporter :actor\\/a ;
      pa:recipient :actor\\/b ; pa:programme :programme\\/P-1 ; pa:confidence pa:high ;
      time:hasBeginning [ time:inXSDGYear "2012"^^xsd:gYear ] ; pa:startBasis pa:stated ;
      prov:wasDerivedFrom :source\\/S-GOV .
  :pairing\\/PR-2 a pa:Pairing ; rdfs:label "甲—乙 2"@zh-Hans, "A–B 2"@en ; pa:supporter :actor\\/a ;
      pa:recipient :actor\\/b ; pa:programme :programme\\/P-1 ; pa:confidence pa:low ; pa:endBasis pa:continued ;
      prov:wasDerivedFrom :source\\/S-NOVEL .
  :pairing\\/PR-3 a pa:Pairing ; rdfs:label "甲—乙 3"@zh-Hans, "A–B 3"@en ; pa:supporter :actor\\/a ;
      pa:recipient :actor\\/b ; pa:programme :programme\\/P-1 ; pa:confidence pa:medium ;
      time:hasBeginning [ time:inXSDGYear "2016"^^xsd:gYear ] ; pa:startBasis pa:laterSource ;
      time:hasEnd [ time:inXSDGYear "2021"^^xsd:gYear ] ; pa:endBasis pa:stated ;
      prov:wasDerivedFrom :source\\/S-NOVEL, :source\\/S-GOV .
  :coverage\\/C-1 a pa:CoverageStatement ; pa:coverageOf :programme\\/P-1 ; pa:statement "两省"@zh-Hans, "Two provinces"@en ;
      pa:statedSupporters 2 ; pa:statedRecipients 3 ; pa:confidence pa:high ; prov:wasDerivedFrom :source\\/S-GOV .
  :gap\\/G-1 a pa:KnownGap ; rdfs:label "缺名单"@zh-Hans, "No source gives the list"@en ; pa:gapAbout :programme\\/P-1 .
}
"""
TINY_BASE = "http://t.example/id/"


def tiny_model():
    import pyoxigraph as ox

    from graph.readmodel import ReadModel
    from graph.store import Engine

    store = ox.Store()
    store.load(TINY.encode(), ox.RdfFormat.TRIG)
    return ReadModel(Engine(store), TINY_BASE)


def test_the_read_model_gives_each_year_its_basis():
    m = tiny_model()
    p1, p2, p3 = (m.pairing(f"PR-{n}") for n in (1, 2, 3))
    assert (p1.start, p1.start_basis, p1.end, p1.end_basis) == (2012, "stated", 2020, "programme")
    assert (p2.start, p2.start_basis, p2.end, p2.end_basis) == (2010, "programme", None, "continued")
    assert (p3.start, p3.start_basis, p3.end, p3.end_basis) == (2016, "later-source", 2021, "stated")
    assert m.years(p1) == (2012, 2020) and m.years(p1, stated_only=True) == (2012, None)
    assert m.years(p2, stated_only=True) == (None, None) and m.years(p3, stated_only=True) == (None, 2021)
    assert m.active_in(p1, 2015) and not m.active_in(p1, 2015, stated_only=True)  # its end is inferred
    assert m.active_in(p2, 2030) and not m.active_in(p2, 2030, stated_only=True)
    assert p3.sources == tuple(sorted(p3.sources)) and len(p3.sources) == 2


def test_the_read_model_knows_sources_merged_ids_facts_coverage_and_gaps():
    m = tiny_model()
    gov = m.sources[TINY_BASE + "source/S-GOV"]
    assert (gov.id, gov.title, gov.kind, gov.publisher, gov.date, gov.url) == (
        "S-GOV", "A plan", "official", "Gov", "2010-05", "https://gov.example/plan")
    assert m.sources[TINY_BASE + "source/S-NOVEL"].original_outlet == "Xinhua"
    assert m.merged == {TINY_BASE + "actor/b-old": TINY_BASE + "actor/b"}
    assert m.survivor("actor", "b-old") == "b" and m.survivor("actor", "b") is None
    assert m.resolve_actor("b-old", "recipient") == TINY_BASE + "actor/b"
    [fact] = m.facts_of(TINY_BASE + "actor/a")
    assert (fact.property.rsplit("#")[-1], fact.value, fact.sources) == ("gbCode", "650000", (gov.iri,))
    [cov] = m.coverage
    assert (cov.programme, cov.statement_en, cov.stated_supporters, cov.stated_recipients, cov.sources) == (
        TINY_BASE + "programme/P-1", "Two provinces", 2, 3, (gov.iri,))
    [gap] = m.gaps
    assert (gap.label_en, gap.about) == ("No source gives the list", (TINY_BASE + "programme/P-1",))


def test_a_fact_filter_leaves_out_and_says_what():
    from graph.errors import BadParameter
    from graph.readmodel import FactFilter

    m = tiny_model()

    def ids(facts, **filters):
        kept, left = m.select_pairings(facts=facts, **filters)
        assert [p.id for p in kept] == [p.id for p in m.find_pairings(facts=facts, **filters)]
        return [p.id for p in kept], left

    none = {"below_confidence": 0, "only_excluded_sources": 0, "years_not_stated": 0}
    assert ids(FactFilter()) == (["PR-1", "PR-2", "PR-3"], none)
    assert ids(FactFilter(min_confidence="medium")) == (["PR-1", "PR-3"], {**none, "below_confidence": 1})
    # PR-3 rests on a novel and on an official plan: it stays
    assert ids(FactFilter(exclude_source_kinds=frozenset({"fiction-forum"}))) == (
        ["PR-1", "PR-3"], {**none, "only_excluded_sources": 1})
    assert ids(FactFilter(stated_years_only=True)) == (["PR-1", "PR-2", "PR-3"], none)  # no year asked
    assert ids(FactFilter(), year=2018) == (["PR-1", "PR-2", "PR-3"], none)
    # on stated years alone, none is known to be active in 2018: PR-1's end and the others' starts are inferred
    assert ids(FactFilter(stated_years_only=True), year=2018) == ([], {**none, "years_not_stated": 3})
    assert ids(FactFilter(min_confidence="high", stated_years_only=True), year=2018) == (
        [], {**none, "below_confidence": 2, "years_not_stated": 1})
    assert ids(FactFilter(), recipient="b-old")[0] == ["PR-1", "PR-2", "PR-3"]  # a retired id still filters
    for facts, name in ((FactFilter(min_confidence="certain"), "min_confidence"),
                        (FactFilter(exclude_source_kinds=frozenset({"rumour"})), "exclude_source_kind")):
        try:
            m.find_pairings(facts=facts)
        except BadParameter as exc:
            assert exc.name == name
        else:
            raise AssertionError(name)


def test_the_read_model_with_its_new_indexes_is_saved_and_read_back(tmp_path):
    from graph.readmodel import ReadModel

    m = tiny_model()
    m.save(tmp_path)
    again = ReadModel.open(m.engine, TINY_BASE, tmp_path)
    assert again.pairings == m.pairings and again.sources == m.sources and again.coverage == m.coverage
    assert again.merged == m.merged and again.gaps == m.gaps
