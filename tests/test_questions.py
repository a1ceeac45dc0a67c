"""The questions at the end of DOMAIN.md, answered from the data with exact expected results."""
from __future__ import annotations

from graph import queries

from conftest import iri, short


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
        ("PR-0156", "tianjin", "hotan-prefecture-people-s-hospital", None, "medical"),
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
    # Xinjiang 2010 (PR-0020..0023), Wenchuan reconstruction (PR-0127) and relief (PR-0132)
    expected = ["fuhai-county", "fuyun-county", "qinghe-county", "xpcc-10th-division", "jiange-county",
                "wenjiang-district"]
    assert pairs == {(a, b) for a in expected for b in expected if a < b}


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
    assert with_agreement == {"PR-0001", "PR-0002", "PR-0003", "PR-0004", "PR-0109", "PR-CASE-JK", "PR-CASE-L"}
    assert len(rows) == len(all_pairings) - 7 == 214


def test_q6_which_source_says_so(engine):
    rows = queries.run(engine, "sources_of", resource=iri("pairing", "PR-0153"))
    assert [(short(r["source"]), r["url"]) for r in rows] == [
        ("S-ksrykj-com", "http://www.ksrykj.com/news/c/2019-07-14/12682794.shtml")]
    rows = queries.run(engine, "sources_of", resource=iri("identification", "ID-J"))
    assert {short(r["source"]) for r in rows} == {"S-huang-ding", "S-ksrykj-com", "S-thenewdominion-net"}
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
