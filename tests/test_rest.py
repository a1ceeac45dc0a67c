"""Every REST endpoint on the real data, with exact expected values, and every error path; asked of the
service in this process (conftest's ``client``): what it answers, not how it is carried."""
from __future__ import annotations

import pytest

from conftest import table_count, table_rows


def get(client, path, **params):
    headers = params.pop("headers", {})
    return client.get(path, params=params, headers=headers)


def ids(body):
    return [item["id"] for item in body["items"]]


HOTAN = ["PR-0001", "PR-0002", "PR-0003", "PR-0004", "PR-0006", "PR-0007", "PR-0008", "PR-0045", "PR-0156"]


@pytest.mark.parametrize("recipient", ["Hotan Prefecture", "和田地区", "hotan-prefecture"])
def test_pairings_of_hotan_include_its_counties(client, recipient):
    body = get(client, "/pairings", recipient=recipient).json()
    assert body["total"] == 9 and ids(body) == HOTAN


def test_pairings_of_one_county(client):
    body = get(client, "/pairings", recipient="Hotan County").json()
    assert ids(body) == ["PR-0002"]
    item = body["items"][0]
    assert item["supporter"]["id"] == "beijing" and item["recipient"]["label_zh"] == "和田县"
    assert item["fields"] == ["comprehensive"] and item["mode"] == "traditional"
    assert item["programme"]["id"] == "P-XJ-2010"
    assert item["period"] == {"start": 2010, "start_basis": "stated", "end": None, "end_basis": None,
                              "label_zh": "自2010年", "label_en": "since 2010", "label": "since 2010"}
    assert item["confidence"] == "high"
    assert {s["url"] for s in item["sources"]} == {
        "http://103.249.53.35/zt/szzt/xjgz_1/lgwsm4/xjgz_7/201005/t20100528_1391410.htm",
        "http://www.thenewdominion.net/1740/color-coded-guide-to-eastern-provinces-to-xinjiang-economic-aid-pairing/"}


@pytest.mark.parametrize("params,expected", [
    ({"supporter": "jiangsu", "field": "medical"}, ["PR-0153", "PR-0154", "PR-0155"]),  # with its hospitals
    # Jiangsu's own pairings, then its cities' and their districts' (Nanjing, Jiangning, Nantong, Wuxi,
    # Jiangyin, Suzhou, Yangzhou, Yancheng, Taizhou, Changzhou, Wujin)
    ({"supporter": "Jiangsu", "programme": "P-XJ-2010"}, ["PR-0032", "PR-0033", "PR-0034", "PR-0035", "PR-0036",
                                                          "PR-0037", "PR-0038"]
     + [f"PR-{n:04d}" for n in range(245, 258)]),
    ({"mode": "group-style", "recipient": "拉萨市"}, ["PR-0159", "PR-0160", "PR-0161"]),
    ({"supporter": "上海市", "recipient": "Shache (Yarkant) County"}, ["PR-0024", "PR-0025"]),
    ({"q": "Qira"}, ["PR-0006"]),
    ({"q": "浦东"}, ["PR-0025"]),
    ({"programme": "P-WC-2008-RELIEF", "supporter": "hubei"}, ["PR-0149"]),
    ({"year": "1980", "supporter": "beijing"}, ["PR-0166"]),
])
def test_pairing_filters(client, params, expected):
    assert ids(get(client, "/pairings", limit=1000, **params).json()) == expected


def test_year_means_active_that_year(client):
    relief = ids(get(client, "/pairings", programme="P-WC-2008-RELIEF", year=2008, limit=1000).json())
    assert len(relief) == 23
    assert ids(get(client, "/pairings", programme="P-WC-2008-RELIEF", year=2009).json()) == []


def test_pagination(client):
    first = get(client, "/pairings", limit=5, offset=0).json()
    second = get(client, "/pairings", limit=5, offset=5).json()
    assert first["total"] == second["total"] == table_count("pairings")
    assert len(first["items"]) == len(second["items"]) == 5 and not set(ids(first)) & set(ids(second))


def test_accept_language_fills_label(client):
    zh = get(client, "/pairings/PR-0002", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}).json()
    en = get(client, "/pairings/PR-0002", headers={"Accept-Language": "en-GB"}).json()
    assert zh["supporter"]["label"] == "北京市" and en["supporter"]["label"] == "Beijing"
    assert zh["supporter"]["label_en"] == "Beijing" and en["supporter"]["label_zh"] == "北京市"


def test_pairing_detail_of_the_case(client):
    body = get(client, "/pairings/PR-CASE-JK").json()
    assert body["supporter"]["id"] == "case-j-province" and body["recipient"]["id"] == "case-k-prefecture"
    assert [s["id"] for s in body["sub_pairings"]] == ["PR-CASE-L"]
    assert [t["id"] for t in body["teams"]] == ["case-team-10"]
    assert [m["id"] for m in body["teams"][0]["members"]] == [
        "case-person-b", "case-person-l", "case-person-t", "case-person-team-director", "case-person-x"]
    assert {e["code"] for e in body["evidence"]} == {"2021Z", "2021S", "2021W", "2022A"}
    assert {f["id"] for f in body["figures"]} == {"FIG-CASE-EXPERTS", "FIG-CASE-HOSPITALS"}
    sub = get(client, "/pairings/PR-CASE-L").json()
    assert sub["parent"]["id"] == "PR-CASE-JK" and sub["kind"] == "mentorship"
    assert [p["id"] for p in sub["people"]] == ["case-l-mentees", "case-person-l"]


def test_soft_law_of_a_xinjiang_2010_pairing_through_its_programme(client):
    body = get(client, "/pairings/PR-0001/instruments", kind="soft-law").json()
    got = [(i["id"], [r["via"] for r in i["routes"]], [r["through"]["id"] for r in i["routes"]])
           for i in body["items"]]
    through = ["P-XJ-2010"]
    # the Xinjiang programme's central plans and leaders' speeches (not a plan of another pairing)
    assert got == [("I-BJ-ACT", ["direct"], ["PR-0001"])] + [
        (i, ["programme"], through) for i in ("I-XJ-2014-EXT", "I-XJ-CONF-10", "I-XJ-CONF-2010", "I-XJ-CONF-5",
                                            "I-XJ-CONF-7", "I-XJ-CONF-9", "I-XJ-SYM-2010", "I-XJ-SYM-2014",
                                            "I-XJ-SYM-2014-XI", "I-XJ-SYM-2020")]
    hard = get(client, "/pairings/PR-0001/instruments", kind="hard-law").json()
    assert [(i["id"], i["part_of"]["id"], [r["via"] for r in i["routes"]]) for i in hard["items"]] == [
        ("I-CONST-122", "I-CONST", ["authorising-hard-law"]), ("I-CONST-4", "I-CONST", ["authorising-hard-law"]),
        ("I-REAL-64", "I-REAL", ["authorising-hard-law"]), ("I-REAL-70", "I-REAL", ["authorising-hard-law"])]
    typed = get(client, "/pairings/PR-0001/instruments", type="leadership-directive").json()
    assert [i["id"] for i in typed["items"]] == ["I-XJ-CONF-10", "I-XJ-CONF-5", "I-XJ-CONF-7", "I-XJ-CONF-9",
                                                 "I-XJ-SYM-2014-XI"]
    assert all(i["sources"] for i in body["items"] + hard["items"])


def test_instruments_of_the_mentorship_come_through_its_parent(client):
    body = get(client, "/pairings/PR-CASE-L/instruments").json()
    agreement = next(i for i in body["items"] if i["id"] == "I-CASE-KN-AGR")
    assert [(r["via"], r["through"]["id"], r["parent"]["id"]) for r in agreement["routes"]] == [
        ("parent-pairing", "PR-CASE-JK", "PR-CASE-JK")]


def test_actor_detail(client):
    body = get(client, "/actors/hotan-prefecture").json()
    assert body["gb_code"] == "653200" and body["parent"]["id"] == "xinjiang"
    assert [p["id"] for p in body["supported_by"]] == []
    assert body["supported_below"] == 9
    assert {s["id"] for s in body["sub_organisations"]} >= {"hotan-city", "hotan-county", "pishan-county",
                                                           "hotan-prefecture-people-s-hospital"}
    beijing = get(client, "/actors/beijing").json()
    assert {"PR-0001", "PR-0166"} <= {p["id"] for p in beijing["supports"]}
    hq = get(client, "/actors/case-k-command-hq").json()
    assert [m["id"] for m in hq["members"]] == ["case-person-hq-cadre-head", "case-person-w", "case-person-z"]
    l = get(client, "/actors/case-person-l").json()
    assert [m["id"] for m in l["member_of"]] == ["case-team-10"]


def test_actor_list_filters(client):
    body = get(client, "/actors", q="克孜勒苏", limit=100).json()
    assert set(ids(body)) == {"kizilsu-kirghiz-autonomous-prefecture", "kizilsu-prefecture-people-s-hospital"}
    assert get(client, "/actors", level="municipality", limit=100).json()["total"] == 4


def test_instrument_detail(client):
    body = get(client, "/instruments/I-WC-PLAN").json()
    assert body["doc_number"] == "国办发〔2008〕53号" and body["date"] == "2008-06-11"
    assert [i["id"] for i in body["issued_by"]] == ["general-office-of-the-state-council"]
    assert [g["id"] for g in body["governs"]] == ["P-WC-2008"]
    law = get(client, "/instruments/I-REAL").json()
    assert [p["id"] for p in law["provisions"]] == ["I-REAL-64", "I-REAL-70"]
    assert [a["id"] for a in law["authorizes"]] == ["PR-CASE-JK"]
    article = get(client, "/instruments/I-REAL-70").json()
    assert article["part_of"]["id"] == "I-REAL" and article["article"] == "Art. 70"
    agreement = get(client, "/instruments/I-TJ-HN-AGR").json()
    assert [p["id"] for p in agreement["parties"]] == ["huangnan-tibetan-ap", "tianjin"]
    soft = get(client, "/instruments", kind="soft-law", limit=100).json()
    # the reference's and the paper's soft-law rows, as the instrument tables hold them
    assert soft["total"] == sum(row["kind"] == "soft-law" for row in table_rows("instruments"))


def test_programme_detail(client):
    body = get(client, "/programmes/P-XJ-MED-2016").json()
    # every pairing the tables put in the programme (the reference's hospitals and the paper's case)
    assert [p["id"] for p in body["pairings"]] == sorted(
        row["id"] for row in table_rows("pairings") if row["programme"] == "P-XJ-MED-2016")
    assert {"PR-0153", "PR-0157", "PR-CASE-JK"} <= {p["id"] for p in body["pairings"]}
    assert [g["id"] for g in body["governed_by"]] == ["I-XJ-MED-2016"]
    assert [a["id"] for a in body["authorised_by"]] == ["I-REAL-70"]
    assert get(client, "/programmes").json()["total"] == table_count("programmes")


def test_source_detail(client):
    body = get(client, "/sources/S-ksrykj-com").json()
    assert body["url"] == "http://www.ksrykj.com/news/c/2019-07-14/12682794.shtml"
    assert {(b["kind"], b["id"]) for b in body["backs"]} >= {("pairing", "PR-0153"), ("identification", "ID-J"),
                                                             ("instrument", "I-XJ-MED-2016")}
    listing = get(client, "/sources", q="maintenance mechanism", limit=5).json()
    assert ids(listing) == ["S-huang-ding"] and listing["items"][0]["backs"] > 30


@pytest.mark.parametrize("path", ["/pairings/PR-9999", "/pairings/PR-9999/instruments", "/actors/nobody",
                                  "/instruments/I-NONE", "/programmes/P-NONE", "/sources/S-none",
                                  "/pairings/..%2F..%2Fetc%2Fpasswd", "/id/pairing/PR-9999", "/id/nothing/x"])
def test_unknown_ids_are_404_json(client, path):
    response = get(client, path)
    assert response.status_code == 404 and "detail" in response.json()
    assert "/etc/passwd" not in response.text


@pytest.mark.parametrize("path,params,parameter", [
    ("/pairings", {"field": "weather"}, "field"),
    ("/pairings", {"mode": "magic"}, "mode"),
    ("/pairings", {"recipient": "Atlantis"}, "recipient"),
    ("/pairings", {"supporter": "nowhere"}, "supporter"),
    ("/pairings", {"programme": "P-NONE"}, "programme"),
    ("/pairings", {"year": "soon"}, "year"),
    ("/pairings", {"limit": "0"}, "limit"),
    ("/pairings", {"offset": "-1"}, "offset"),
    ("/pairings/PR-0001/instruments", {"kind": "medium-law"}, "kind"),
    ("/pairings/PR-0001/instruments", {"type": "poem"}, "type"),
    ("/instruments", {"kind": "medium-law"}, "kind"),
    ("/export", {"format": "docx"}, "format"),
    ("/export", {"graph": "S-none"}, "graph"),
    ("/network", {"view": "gossip"}, "view"),
    ("/network", {"level": "galaxy"}, "level"),
    ("/network", {"format": "pdf"}, "format"),
    ("/network", {"recipient": "Atlantis"}, "recipient"),
    ("/pairings", {"min_confidence": "certain"}, "min_confidence"),
    ("/pairings", {"exclude_source_kind": "blog"}, "exclude_source_kind"),
    ("/pairings", {"stated_years_only": "perhaps"}, "stated_years_only"),
    ("/actors", {"min_confidence": "certain"}, "min_confidence"),
    ("/pairings/PR-0001/instruments", {"exclude_source_kind": "blog"}, "exclude_source_kind"),
])
def test_bad_parameters_are_422_naming_the_parameter(client, path, params, parameter):
    response = get(client, path, **params)
    assert response.status_code == 422
    assert response.json()["parameter"] == parameter


def test_openapi_and_docs(client):
    spec = get(client, "/openapi.json").json()
    for path in ("/sparql", "/pairings", "/pairings/{id}", "/pairings/{id}/instruments", "/actors/{id}",
                 "/instruments/{id}", "/programmes/{id}", "/sources/{id}", "/export", "/network",
                 "/id/{kind}/{ident}", "/void", "/coverage"):
        assert path in spec["paths"], path
    assert get(client, "/docs").status_code == 200


def test_every_pairing_says_the_basis_of_its_years_and_a_year_from_the_programme_is_labelled(client):
    items = get(client, "/pairings", limit=1000).json()["items"]
    for p in items:
        period = p["period"]
        assert (period["start"] is None) == (period["start_basis"] is None), p["id"]
        assert period["end_basis"] == "continued" or (period["end"] is None) == (period["end_basis"] is None), p["id"]
        if period["start_basis"] == "programme":
            assert "inferred from the programme" in period["label_en"] and "据所属计划推定" in period["label_zh"]
    assert any(p["period"]["start_basis"] == "programme" for p in items)


def test_facts_filters_leave_out_and_say_what(client):
    everything = get(client, "/pairings", limit=1).json()
    fewer = get(client, "/pairings", limit=1, min_confidence="medium", exclude_source_kind="fiction-forum").json()
    left = fewer["left_out"]
    assert fewer["total"] + left["below_confidence"] + left["only_excluded_sources"] == everything["total"]
    assert left["below_confidence"] > 0 and fewer["facts"]["exclude_source_kinds"] == ["fiction-forum"]
    stated = get(client, "/pairings", year=2023, stated_years_only="true", limit=1).json()
    assert stated["total"] + stated["left_out"]["years_not_stated"] == get(client, "/pairings", year=2023).json()["total"]


def test_sources_are_given_by_title_and_kind(client):
    for item in get(client, "/pairings", limit=1000).json()["items"]:
        for source in item["sources"]:
            assert source["title"] and source["kind"], (item["id"], source["id"])
    listing = get(client, "/sources", limit=1000).json()["items"]
    assert all(s["kind"] for s in listing)
    assert any(s["original_outlet"] for s in listing if s["kind"] == "copy")


def test_a_merged_actor_id_answers_a_redirect_to_the_survivor(client):
    for path, target in (("/actors/beichuan-county", "/actors/beichuan-qiang-ac"),
                         ("/id/actor/beichuan-county", "/id/actor/beichuan-qiang-ac")):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 301 and response.headers["location"] == target
    old = get(client, "/pairings", recipient="beichuan-county", limit=1000).json()
    assert old["total"] > 0 and old == get(client, "/pairings", recipient="beichuan-qiang-ac", limit=1000).json()


def test_an_actor_says_which_source_gives_its_code(client):
    body = get(client, "/actors/hotan-city").json()
    codes = [f for f in body["attributions"] if f["name"] == "gbCode"]
    assert [f["value"] for f in codes] == ["653201"] and codes[0]["sources"][0]["id"] == "S-china-area-data"
    page = client.get("/id/actor/hotan-city", params={"format": "html"}).text
    assert "gbCode — 来源 source" in page


def test_coverage_of_every_programme(client):
    body = get(client, "/coverage").json()
    programmes = {p["programme"]["id"]: p for p in body["programmes"]}
    assert programmes["P-XJ-2010"]["holds"]["pairings"] > 0
    assert sum(p["holds"]["pairings"] for p in programmes.values()) + body["without_programme"]["pairings"] == \
        body["total"]["pairings"] == get(client, "/pairings").json()["total"]
    assert any(p["statements"] for p in programmes.values())


def test_a_field_of_several_words_stays_one_field(client):
    """Field notations may hold spaces ('poverty alleviation'): each pairing answers the fields its
    row gives, whole."""
    import csv

    from graph.config import DATA_DIR

    rows = {r["id"]: r for path in DATA_DIR.glob("*/pairings.csv") for r in csv.DictReader(path.open(encoding="utf-8"))}
    spaced = [pid for pid, r in rows.items() if " " in r["fields"]]
    assert spaced, "the data has fields of several words"
    for pid in spaced[:5]:
        expected = sorted(f.strip() for f in rows[pid]["fields"].split(";") if f.strip())
        assert sorted(client.get(f"/pairings/{pid}").json()["fields"]) == expected
