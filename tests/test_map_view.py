"""The explorer's map view (#/map) in a real browser: Debian's headless Chromium driven by Playwright, on
loopback.  What it draws is checked against the API's own GeoJSON (/network?format=geojson) for the same
filters: one circle per located node, one curved arrow per located edge, the unlocated listed."""

from __future__ import annotations

import base64
import struct
import urllib.parse
import xml.etree.ElementTree as ET

import httpx
import pytest
from conftest import check_watched, watched_page

playwright = pytest.importorskip("playwright.sync_api")

SVG = "{http://www.w3.org/2000/svg}"
READY = "() => window.pakgMap && document.querySelector('#map-dl-png')?.dataset.ready === 'true'"


def ready_for(part: str) -> str:
    """A wait condition: the map of a GeoJSON whose URL holds ``part`` is drawn and its PNG made."""
    return (
        f"() => window.pakgMap && window.pakgMap.url.includes({part!r}) && "
        "document.querySelector('#map-dl-png')?.dataset.ready === 'true'"
    )


@pytest.fixture()
def open_page(browser, server):
    pages = []

    def opened(locale: str = "zh-CN"):
        # (no failed-request check: a download ends its request on purpose)
        size = {"width": 1400, "height": 1100}
        page = watched_page(browser, server, locale, failed_requests=False, viewport=size, accept_downloads=True)
        pages.append(page)
        return page

    yield opened
    for page in pages:
        check_watched(page)


def geojson(server: str, **params) -> dict:
    answer = httpx.get(server + "/network", params={"format": "geojson", **params}, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def located(collection: dict, feature: str) -> set[str]:
    return {f["id"] for f in collection["features"] if f["properties"]["feature"] == feature and f["geometry"]}


def drawn(page, selector: str) -> set[str]:
    return set(page.locator(selector).evaluate_all("els => els.map((e) => e.dataset.id)"))


def screen_point(page, selector: str) -> tuple[float, float]:
    """Where on the screen a drawn element can be clicked: a circle's centre, or the first point along a
    flow's curve where it is the topmost element (flows cross)."""
    point = page.evaluate(
        """(selector) => { const e = document.querySelector(selector); e.scrollIntoView({ block: "center" });
          const m = e.getScreenCTM();
          const at = (p) => [p.x * m.a + m.e, p.y * m.d + m.f];
          if (e.tagName === "circle") return at({ x: e.cx.baseVal.value, y: e.cy.baseVal.value });
          for (let i = 1; i < 40; i++) {
            const [x, y] = at(e.getPointAtLength(e.getTotalLength() * i / 40));
            if (document.elementFromPoint(x, y) === e) return [x, y];
          }
          return null; }""",
        selector,
    )
    assert point, f"{selector} is covered everywhere"
    return tuple(point)


def test_the_map_draws_every_located_node_and_flow_of_the_api_geojson(open_page):
    page = open_page()
    expected = geojson(page.base, level="province")
    page.goto(page.base + "/#/map?level=province")
    page.wait_for_function(READY)
    nodes, flows = located(expected, "node"), located(expected, "edge")
    assert nodes and flows
    assert drawn(page, "#map circle.node") == nodes
    assert drawn(page, "#map path.flow") == flows
    # an approximate point (placed in the unit the data places it in) is drawn hollow
    approximate = {f["id"] for f in expected["features"] if f["geometry"] and f["properties"].get("point_approximate")}
    assert drawn(page, "#map circle.node.approximate") == approximate
    # every flow ends in an arrowhead
    assert page.locator("#map path.flow:not([marker-end])").count() == 0
    # what has no point is counted and named, from the answer's pakg.unlocated
    unlocated = expected["pakg"]["unlocated"]
    note = page.locator("#map-unlocated")
    if unlocated["nodes"] or unlocated["edges"]:
        assert str(unlocated["nodes"]) in note.inner_text() and str(unlocated["edges"]) in note.inner_text()
        assert set(note.locator("[data-unlocated]").evaluate_all("els => els.map((e) => e.dataset.unlocated)")) == {
            i["id"] for i in unlocated["items"]
        }
    # no borders: the page says why and how to lay the GeoJSON on one's own approved base map
    basemap = page.locator("[data-testid=map-basemap]")
    basemap.locator("summary").click()
    assert "审图号" in basemap.inner_text() and "QGIS" in basemap.inner_text() and "EPSG:4326" in basemap.inner_text()
    assert page.locator("#mapcount").inner_text().startswith(f"{len(nodes)}/")


@pytest.mark.parametrize(
    "change, params",
    [
        (("select[name=programme]", "P-XJ-2010"), {"level": "province", "programme": "P-XJ-2010"}),
        (("select[name=level]", "prefecture"), {"level": "prefecture"}),
        (("select[name=field]", "medical"), {"level": "province", "field": "medical"}),
    ],
)
def test_a_filter_changes_what_is_drawn_as_the_api_answers(open_page, change, params):
    page = open_page()
    page.goto(page.base + "/#/map?level=province")
    page.wait_for_function(READY)
    before = drawn(page, "#map path.flow")
    selector, value = change
    page.select_option(selector, value)
    page.wait_for_function(ready_for(f"{selector.split('=')[1].rstrip(']')}={value}"))
    expected = geojson(page.base, **params)
    assert drawn(page, "#map circle.node") == located(expected, "node")
    assert drawn(page, "#map path.flow") == located(expected, "edge") != before


def test_the_year_slider_narrows_the_flows_to_the_pairings_active_that_year(open_page):
    page = open_page()
    page.goto(page.base + "/#/map?level=province")
    page.wait_for_function(READY)
    assert page.locator("#map-year").is_disabled()
    page.check("#map-by-year")
    page.wait_for_function(ready_for("year="))
    page.locator("#map-year").fill("2012")
    page.wait_for_function(ready_for("year=2012"))
    expected = geojson(page.base, level="province", year=2012)
    assert drawn(page, "#map path.flow") == located(expected, "edge")
    assert page.locator("#map-year-value").inner_text() == "2012"
    # and off again: every year
    page.uncheck("#map-by-year")
    page.wait_for_function(
        "() => window.pakgMap && !window.pakgMap.url.includes('year=') "
        "&& document.querySelector('#map-dl-png')?.dataset.ready"
    )
    assert drawn(page, "#map path.flow") == located(geojson(page.base, level="province"), "edge")


def test_clicking_a_node_and_a_flow_lists_their_pairings_and_their_governance(open_page):
    page = open_page()
    expected = geojson(page.base, level="province")
    edges = [f for f in expected["features"] if f["properties"]["feature"] == "edge"]
    flow = max((f for f in edges if f["geometry"]), key=lambda f: f["properties"]["pairings"])
    page.goto(page.base + "/#/map?level=province")
    page.wait_for_function(READY)
    page.mouse.click(*screen_point(page, f'#map path.flow[data-id="{flow["id"]}"]'))
    info = page.locator("#mapinfo")
    info.locator("[data-testid=map-governance]").wait_for()
    listed = info.locator("[data-testid=map-pairings] li > a").evaluate_all(
        "els => els.map((e) => e.getAttribute('href'))"
    )
    assert listed == [f"#/pairing/{i}" for i in flow["properties"]["ids"]]
    governance = info.locator("[data-testid=map-governance]").get_attribute("href")
    query = urllib.parse.parse_qs(governance.split("?", 1)[1])
    assert query == {"supporter": [flow["properties"]["source"]], "recipient": [flow["properties"]["target"]]}
    # a node: every pairing of every edge it is an end of, located or not
    node = flow["properties"]["target"]
    page.mouse.click(*screen_point(page, f'#map circle.node[data-id="{node}"]'))
    page.wait_for_function("(id) => document.querySelector(`#mapinfo h2 a[href='#/actor/${id}']`)", arg=node)
    ids = [
        i
        for f in edges
        if node in (f["properties"]["source"], f["properties"]["target"])
        for i in f["properties"]["ids"]
    ]
    listed = info.locator("[data-testid=map-pairings] li > a").evaluate_all(
        "els => els.map((e) => e.getAttribute('href'))"
    )
    assert sorted(listed) == sorted(f"#/pairing/{i}" for i in ids)
    info.locator("[data-testid=map-pairings] li > a").first.click()
    page.wait_for_url("**/#/pairing/*")
    page.locator("#chain").wait_for()


def test_the_downloads_are_the_drawn_svg_a_png_of_it_and_the_api_geojson(open_page):
    page = open_page()
    page.goto(page.base + "/#/map?level=province&programme=P-XJ-2010")
    page.wait_for_function(READY)
    # the SVG: standalone, with the paths drawn, the title and the source and licence line
    href = page.locator("#map-dl-svg").get_attribute("href")
    assert href.startswith("data:image/svg+xml")
    svg = ET.fromstring(urllib.parse.unquote(href.split(",", 1)[1]).encode("utf-8"))
    assert svg.tag == f"{SVG}svg"
    flows = [p for p in svg.iter(f"{SVG}path") if "flow" in (p.get("class") or "").split()]
    assert {p.get("data-id") for p in flows} == drawn(page, "#map path.flow")
    texts = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    about = geojson(page.base, level="province", programme="P-XJ-2010")["pakg"]
    assert svg.find(f"{SVG}title").text.startswith("支援流向地图")
    assert about["dataset_version"] in texts and about["points_source"]["title"] in texts and "审图号" in texts
    assert (about.get("licence_name") or about["licence"]) in texts
    # the PNG: a PNG, twice the SVG's size
    png = base64.b64decode(page.locator("#map-dl-png").get_attribute("href").split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (2 * int(svg.get("width")), 2 * int(svg.get("height")))
    # the GeoJSON: exactly the bytes of the API's answer for the same filters, and a download
    link = page.locator("#map-dl-geojson")
    with page.expect_download() as download:
        link.click()
    saved = download.value.path().read_bytes()
    api = httpx.get(page.base + "/network", params={"format": "geojson", "level": "province", "programme": "P-XJ-2010"})
    assert saved == api.content
    assert httpx.get(page.base + link.get_attribute("href")).content == api.content


@pytest.mark.parametrize("locale, language", [("zh-CN", "zh"), ("en-GB", "en")])
def test_labels_and_words_are_in_the_chosen_language(open_page, locale, language):
    page = open_page(locale)
    expected = geojson(page.base, level="province")
    page.goto(page.base + "/#/map?level=province")
    page.wait_for_function(READY)
    names = {
        f["id"]: f["properties"][f"label_{language}"]
        for f in expected["features"]
        if f["properties"]["feature"] == "node" and f["geometry"]
    }
    labels = page.locator("#map [data-label]").evaluate_all("els => els.map((e) => [e.dataset.label, e.textContent])")
    assert labels and all(names[i] == text for i, text in labels)
    title = page.locator("h1").inner_text()
    assert title == ("支援流向地图" if language == "zh" else "Where aid flows")
    # switching the language redraws the map in the other
    other = "en" if language == "zh" else "zh"
    page.click(f"[data-lang={other}]")
    page.wait_for_function(
        "(h) => document.querySelector('h1') && document.querySelector('h1').textContent !== h", arg=title
    )
    page.wait_for_function(READY)
    names = {
        f["id"]: f["properties"][f"label_{other}"]
        for f in expected["features"]
        if f["properties"]["feature"] == "node" and f["geometry"]
    }
    labels = page.locator("#map [data-label]").evaluate_all("els => els.map((e) => [e.dataset.label, e.textContent])")
    assert labels and all(names[i] == text for i, text in labels)


def test_the_colour_and_size_switches_redraw_the_same_flows(open_page):
    page = open_page()
    page.goto(page.base + "/#/map?level=province")
    page.wait_for_function(READY)
    flows = drawn(page, "#map path.flow")
    radii = page.locator("#map circle.node").evaluate_all("els => els.map((e) => e.getAttribute('r'))")
    page.select_option("select[name=colour]", "field")
    page.wait_for_function(
        "() => window.pakgMap?.hash.includes('colour=field') && document.querySelector('#map-dl-png')?.dataset.ready"
    )
    assert drawn(page, "#map path.flow") == flows
    page.select_option("select[name=size]", "degree")
    page.wait_for_function(
        "() => window.pakgMap?.hash.includes('size=degree') && document.querySelector('#map-dl-png')?.dataset.ready"
    )
    assert page.locator("#map circle.node").evaluate_all("els => els.map((e) => e.getAttribute('r'))") != radii


def test_the_map_libraries_and_script_are_served_from_this_server(client):
    for path in ["/static/map.js", "/vendor/d3-geo.min.js", "/vendor/d3-array.min.js"]:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].startswith("text/javascript")


def test_the_map_libraries_are_pinned_npm_packages():
    import json
    from pathlib import Path

    web = Path(__file__).resolve().parent.parent / "web"
    package = json.loads((web / "package.json").read_text())
    lock = json.loads((web / "package-lock.json").read_text())
    vendor = json.loads((web / "vendor.json").read_text())
    for name in ("d3-geo", "d3-array"):
        version = package["dependencies"][name]
        assert version.count(".") == 2 and version.replace(".", "").isdigit(), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert vendor[f"{name}.min.js"] == [f"{name}/dist/{name}.min.js", "text/javascript"]


def test_a_supporter_by_name_narrows_the_map_and_an_unknown_name_says_where(open_page):
    page = open_page("en-GB")
    page.goto(page.base + "/#/map?level=province")
    page.wait_for_function(READY)
    page.fill("input[name=supporter]", "江苏")
    page.click("#mapfilters button[type=submit]")
    page.wait_for_function(ready_for("supporter="))
    expected = geojson(page.base, level="province", supporter="江苏")
    assert drawn(page, "#map path.flow") == located(expected, "edge")
    assert {
        page.locator(f'#map path.flow[data-id="{i}"]').get_attribute("data-source") for i in located(expected, "edge")
    } == {"jiangsu"}
    # a name that is nothing: the API's 422, shown with the parameter it is about, the form kept
    page.fill("input[name=supporter]", "Atlantis")
    page.click("#mapfilters button[type=submit]")
    error = page.locator("#map .error")
    error.wait_for()
    assert error.get_attribute("data-status") == "422" and "supporter" in error.inner_text()
    assert page.locator("input[name=supporter]").input_value() == "Atlantis"
    page.errors[:] = [e for e in page.errors if "422" not in e]  # the answer expected
