// pakg explorer: the map view (#/map).  It draws the GeoJSON of GET /network?format=geojson (the same
// filters as the network view): each located actor a circle at its point, each located edge a curved arrow
// from supporter to recipient, in a conic equal-area projection of China (d3-geo, from the npm registry
// via /vendor).  Points and flows only, no borders: a published map of China needs an approved base map
// (审图号), so the page says how to lay the GeoJSON on one's own in QGIS.  What has no point is listed, not
// dropped.  Downloads: the drawn SVG (standalone), a PNG made from it, and the API's GeoJSON itself.
/* global d3 */

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 1280;
const MAP_WIDTH = 940;  // the points and flows; the legend to their right
const HEIGHT = 860;
const MARGIN = 28;
// the frame the projection is fitted to (longitude, latitude): roughly China's westernmost, northernmost,
// easternmost and southernmost land, the same for every filter so that a point stays where it is when the
// filters change (a frame for the drawing only: no point of the data comes from here)
const FRAME = { type: "MultiPoint", coordinates: [[73.5, 39.5], [87, 49.2], [122.5, 53.5], [134.8, 48.4], [122, 25], [109.5, 18.2], [97.5, 24]] };
const PALETTE = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974",
  "#64b5cd", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"];
const SEVERAL = "#1d2733";  // a flow of pairings of more than one programme (or field)
const NO_VALUE = "#9aa3ad";
const NODE_COLOUR = { supporter: "#4c72b0", recipient: "#7a7a7a" };
const COLOUR_BY = ["programme", "field"];
const SIZE_BY = ["pairings", "degree"];
// the filters of the network view, passed to /network as they are
const PASSED = ["supporter", "recipient", "programme", "field", "mode", "year", "min_confidence", "stated_years_only"];

// a map for this view's helpers, given by app.js: { view, api, t, lang(), esc, vl, vocabValues, errorHtml, badge }
export async function mapView(params, ui) {
  const { view, api, t, esc, vl, vocabValues } = ui;
  const lang = ui.lang();
  const value = (k, d = "") => params.get(k) ?? d;
  const label = (zh, en, id) => (lang === "zh" ? zh || en : en || zh) || id;
  const [programmes, analyses] = await Promise.all([api("/programmes?limit=100"), api("/analysis")]);
  const programmeLabel = new Map(programmes.items.map((p) => [p.id, label(p.label_zh, p.label_en, p.id)]));
  const levels = analyses.levels || ["province", "prefecture", "county", "institution"];
  const levelText = (l) => (vocabValues("level").includes(l) ? vl("level", l) : t("levels")[l] || l);
  const colourBy = COLOUR_BY.includes(value("colour")) ? value("colour") : "programme";
  const sizeBy = SIZE_BY.includes(value("size")) ? value("size") : "pairings";
  const thisYear = new Date().getFullYear();
  const year = value("year");
  const option = (v, text, current) => `<option value="${esc(v)}"${v === current ? " selected" : ""}>${esc(text)}</option>`;

  view.innerHTML = `<h1>${esc(t("map_title"))}</h1><form class="filters" id="mapfilters">
    <label>${esc(t("supporter"))}<input name="supporter" value="${esc(value("supporter"))}" placeholder="${esc(t("map_name_hint"))}"></label>
    <label>${esc(t("recipient"))}<input name="recipient" value="${esc(value("recipient"))}" placeholder="${esc(t("map_name_hint"))}"></label>
    <label>${esc(t("programme"))}<select name="programme">${option("", t("all"), value("programme"))}${programmes.items.map((p) => option(p.id, programmeLabel.get(p.id), value("programme"))).join("")}</select></label>
    <label>${esc(t("field"))}<select name="field">${option("", t("all"), value("field"))}${vocabValues("field").map((f) => option(f, vl("field", f), value("field"))).join("")}</select></label>
    <label>${esc(t("mode"))}<select name="mode">${option("", t("all"), value("mode"))}${vocabValues("mode").map((m) => option(m, vl("mode", m), value("mode"))).join("")}</select></label>
    <label>${esc(t("map_min_confidence"))}<select name="min_confidence">${option("", t("all"), value("min_confidence"))}${["medium", "high"].map((c) => option(c, `≥ ${vl("confidence", c)}`, value("min_confidence"))).join("")}</select></label>
    <label>${esc(t("level"))}<select name="level">${levels.map((l) => option(l, levelText(l), value("level", "province"))).join("")}</select></label>
    <label class="check"><input type="checkbox" id="map-by-year"${year ? " checked" : ""}> ${esc(t("map_in_year"))}</label>
    <label class="year-slider">${esc(t("year"))} <input type="range" name="year" id="map-year" min="1950" max="${thisYear}" step="1"
      value="${esc(year || thisYear)}"${year ? "" : " disabled"}> <output id="map-year-value">${esc(year || t("map_all_years"))}</output></label>
    <label class="check"><input type="checkbox" name="stated_years_only" value="true"${value("stated_years_only") === "true" ? " checked" : ""}> ${esc(t("map_stated_years_only"))}</label>
    <label>${esc(t("map_colour_by"))}<select name="colour">${COLOUR_BY.map((c) => option(c, t(c), colourBy)).join("")}</select></label>
    <label>${esc(t("size_by"))}<select name="size">${SIZE_BY.map((s) => option(s, t(`map_size_${s}`), sizeBy)).join("")}</select></label>
    <button class="primary" type="submit">${esc(t("filter"))}</button></form>
    <p><span id="mapcount" data-testid="mapcount"></span> · ${esc(t("download"))}:
      <a id="map-dl-png" download="pakg-map.png">PNG</a> · <a id="map-dl-svg" download="pakg-map.svg">SVG</a>
      · <a id="map-dl-geojson" download>GeoJSON</a></p>
    <div id="maplegend" class="legend sub" data-testid="maplegend"></div>
    <div class="netlayout maplayout"><div id="map" class="map"></div><div class="side" id="mapinfo">${esc(t("map_click"))}</div></div>
    <p class="note sub" id="map-unlocated" data-testid="map-unlocated"></p>
    <details class="map-basemap" data-testid="map-basemap"><summary>${esc(t("map_no_borders"))}</summary>
      <p>${esc(t("map_basemap_why"))}</p><ol>${t("map_qgis_steps").map((s) => `<li>${esc(s)}</li>`).join("")}</ol></details>`;

  const form = view.querySelector("#mapfilters");
  const slider = view.querySelector("#map-year");
  const byYear = view.querySelector("#map-by-year");
  const apply = () => {
    const next = new URLSearchParams(new FormData(form));
    for (const [k, v] of [...next.entries()]) if (!v) next.delete(k);
    location.hash = `#/map?${next}`;
  };
  form.addEventListener("submit", (e) => { e.preventDefault(); apply(); });
  slider.addEventListener("input", () => { view.querySelector("#map-year-value").textContent = slider.value; });
  slider.addEventListener("change", apply);
  byYear.addEventListener("change", () => { slider.disabled = !byYear.checked; apply(); });
  for (const name of ["colour", "size", "level", "programme", "field", "mode", "min_confidence"]) form.elements[name].addEventListener("change", apply);

  // the GeoJSON drawn is the GeoJSON offered: one URL for both
  const query = new URLSearchParams({ format: "geojson", level: value("level", "province") });
  for (const k of PASSED) if (value(k)) query.set(k, value(k));
  const url = `/network?${query}`;
  view.querySelector("#map-dl-geojson").href = url;
  let collection;
  try {
    collection = await api(url, { headers: { Accept: "application/geo+json" } });
  } catch (error) {
    view.querySelector("#map").innerHTML = ui.errorHtml(error);
    return;
  }
  draw(collection, { ui, lang, label, programmeLabel, colourBy, sizeBy, url });
}

function draw(collection, ctx) {
  const { ui, label, colourBy, sizeBy } = ctx;
  const { view, t, esc, vl } = ui;
  const features = collection.features || [];
  const nodes = features.filter((f) => f.properties.feature === "node");
  const edges = features.filter((f) => f.properties.feature === "edge");
  const byId = new Map(nodes.map((n) => [n.properties.id, n]));
  const nodeName = (id) => { const n = byId.get(id)?.properties || {}; return label(n.label_zh, n.label_en, id); };
  // each node's pairings and partners, over every edge (located or not): what its size says
  const score = new Map(nodes.map((n) => [n.properties.id, { pairings: 0, degree: 0, out: 0 }]));
  for (const e of edges) {
    const p = e.properties;
    for (const end of [p.source, p.target]) {
      const s = score.get(end);
      if (s) { s.pairings += p.pairings || (p.ids || []).length; s.degree += 1; }
    }
    if (score.get(p.source)) score.get(p.source).out += 1;
  }
  const max = Math.max(1, ...[...score.values()].map((s) => s[sizeBy]));
  const radius = (id) => 3 + 10 * Math.sqrt((score.get(id)?.[sizeBy] || 0) / max);

  // fitted to the located points (room left for the labels), or to China's frame when they are too few to span it
  const located = nodes.filter((n) => n.geometry);
  const spread = d3.geoBounds({ type: "MultiPoint", coordinates: located.map((n) => n.geometry.coordinates) });
  const wide = located.length > 2 && spread[1][0] - spread[0][0] > 15 && spread[1][1] - spread[0][1] > 8;
  const projection = d3.geoConicEqualArea().parallels([25, 47]).rotate([-105, 0])
    .fitExtent([[MARGIN + 10, MARGIN + 30], [MAP_WIDTH - 70, HEIGHT - MARGIN - 30]],
      wide ? { type: "MultiPoint", coordinates: located.map((n) => n.geometry.coordinates) } : FRAME);
  const at = (coordinates) => projection(coordinates).map((v) => Math.round(v * 10) / 10);

  // the colour of a flow: its programme (or field), "several", or none
  const valuesOf = (p) => (colourBy === "programme" ? p.programmes || [] : p.fields || []);
  const keyOf = (p) => { const v = valuesOf(p); return v.length === 1 ? v[0] : v.length ? "*" : ""; };
  const present = new Set(edges.map((e) => keyOf(e.properties)));
  const keys = [...present].filter((k) => k && k !== "*").sort();
  const shown = [...keys, ...["*", ""].filter((k) => present.has(k))];  // the legend's rows
  const colour = (k) => (k === "*" ? SEVERAL : k === "" ? NO_VALUE : PALETTE[keys.indexOf(k) % PALETTE.length]);
  const keyText = (k) => (k === "*" ? t("map_several") : k === "" ? t("map_none") : colourBy === "programme" ? ctx.programmeLabel.get(k) || k : vl("field", k));

  const flows = edges.filter((e) => e.geometry);
  const title = `${t("map_title")} — ${label(collection.pakg?.title_zh, collection.pakg?.title, "pakg")}`;
  const notice = [collection.pakg?.release && `${t("map_release")} ${collection.pakg.release}`, collection.pakg?.dataset_version,
    collection.pakg?.licence_name || collection.pakg?.licence, collection.pakg?.points_source?.title && `${t("map_points")}: ${collection.pakg.points_source.title}`]
    .filter(Boolean).join(" · ");

  const svg = el("svg", { xmlns: SVG_NS, viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: "img",
    "font-family": "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif", "data-testid": "map-svg" });
  svg.append(el("title", {}, title));
  const defs = el("defs");
  svg.append(defs, el("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, fill: "#ffffff" }));
  const markers = new Map();
  const marker = (c) => {
    if (!markers.has(c)) {
      const id = `arrow-${markers.size}`;
      const m = el("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto" });
      m.append(el("path", { d: "M0,0 L10,5 L0,10 z", fill: c }));
      defs.append(m);
      markers.set(c, id);
    }
    return markers.get(c);
  };
  svg.append(el("text", { x: MARGIN, y: MARGIN, "font-size": 16, "font-weight": 700, fill: "#1d2733", class: "map-title" }, title));
  svg.append(el("text", { x: MARGIN, y: HEIGHT - 22, "font-size": 10, fill: "#5b6573", class: "map-notice" }, notice));
  svg.append(el("text", { x: MARGIN, y: HEIGHT - 9, "font-size": 10, fill: "#5b6573", class: "map-notice" }, t("map_no_borders_short")));

  const flowLayer = el("g", { class: "flows", fill: "none" });
  for (const e of flows) {
    const p = e.properties;
    const [a, b] = e.geometry.coordinates.map(at);
    const c = colour(keyOf(p));
    const width = 1 + Math.min(4, Math.sqrt(p.pairings || 1));
    const path = el("path", { d: curve(a, b, radius(p.target) + 1), stroke: c, "stroke-width": width.toFixed(1), "stroke-opacity": 0.75,
      "marker-end": `url(#${marker(c)})`, class: "flow", "data-id": e.id, "data-source": p.source, "data-target": p.target, tabindex: 0 });
    path.append(el("title", {}, `${nodeName(p.source)} → ${nodeName(p.target)} · ${p.pairings} ${t("pairings_n")}${p.distance_km != null ? ` · ${p.distance_km} km` : ""}`));
    flowLayer.append(path);
  }
  const nodeLayer = el("g", { class: "nodes" });
  const labelLayer = el("g", { class: "labels", "pointer-events": "none", "font-size": 11, fill: "#1d2733", stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke" });
  // labels for the larger nodes (all of them when there are few), the rest on hover (their <title>)
  const labelled = new Set([...located].sort((x, y) => radius(y.properties.id) - radius(x.properties.id))
    .slice(0, located.length > 45 ? 30 : located.length).map((n) => n.properties.id));
  const boxes = [];
  for (const n of [...located].sort((x, y) => radius(y.properties.id) - radius(x.properties.id))) {
    const p = n.properties;
    const [x, y] = at(n.geometry.coordinates);
    const c = (score.get(p.id)?.out || 0) > 0 ? NODE_COLOUR.supporter : NODE_COLOUR.recipient;
    const r = radius(p.id);
    const circle = el("circle", { cx: x, cy: y, r: r.toFixed(1), fill: p.point_approximate ? "#ffffff" : c, "fill-opacity": p.point_approximate ? 1 : 0.85,
      stroke: p.point_approximate ? c : "#ffffff", "stroke-width": p.point_approximate ? 1.8 : 0.8, class: `node${p.point_approximate ? " approximate" : ""}`,
      "data-id": p.id, tabindex: 0 });
    const placed = p.point_placed_in ? ` · ${t("map_placed_in")} ${nodeName(p.point_placed_in)}` : "";
    circle.append(el("title", {}, `${label(p.label_zh, p.label_en, p.id)} · ${score.get(p.id)?.pairings || 0} ${t("pairings_n")}${placed}`));
    nodeLayer.append(circle);
    const name = label(p.label_zh, p.label_en, p.id);
    // a label where no label is yet (points that coincide, a hospital at its city's point, keep one)
    const box = [x + r + 2, y - 7, x + r + 2 + name.length * (/[\u3400-\u9fff]/.test(name) ? 11 : 6.2), y + 5];
    if (labelled.has(p.id) && !boxes.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3])) {
      boxes.push(box);
      labelLayer.append(el("text", { x: box[0].toFixed(1), y: (y + 4).toFixed(1), "data-label": p.id }, name));
    }
  }
  svg.append(flowLayer, nodeLayer, labelLayer);
  svg.append(legendGroup(shown, colour, keyText, t, sizeBy));
  const holder = view.querySelector("#map");
  holder.replaceChildren(svg);

  view.querySelector("#mapcount").textContent = `${located.length}/${nodes.length} ${t("map_nodes_located")}, ${flows.length}/${edges.length} ${t("map_flows_located")}`;
  view.querySelector("#maplegend").innerHTML = `${esc(t("map_legend_nodes"))} · ${esc(t(`map_size_${sizeBy}`))} · ${esc(t("map_legend_hollow"))} · ${esc(t("map_legend_arrow"))}`;
  const unlocated = collection.pakg?.unlocated || { nodes: 0, edges: 0, items: [] };
  view.querySelector("#map-unlocated").innerHTML = unlocated.nodes || unlocated.edges
    ? `${esc(ui.fill(t("map_unlocated"), { nodes: unlocated.nodes, edges: unlocated.edges }))}: ${(unlocated.items || []).map((i) =>
      `<a href="#/actor/${encodeURIComponent(i.id)}" data-unlocated="${esc(i.id)}" title="${esc(i.reason || "")}">${esc(label(i.label_zh, i.label_en, i.id))}</a>`).join(ctx.lang === "zh" ? "、" : ", ")}`
    : esc(t("map_all_located"));

  const info = view.querySelector("#mapinfo");
  const pairingItem = (p, i, other) => `<li><a href="#/pairing/${encodeURIComponent(p.ids[i])}">${esc(p.ids[i])}</a> ${esc(other)}
    <span class="sub">${esc(p.starts?.[i] ?? "?")}${p.start_bases?.[i] && p.start_bases[i] !== "stated" ? "*" : ""}${p.pairing_programmes?.[i] ? ` · ${esc(ctx.programmeLabel.get(p.pairing_programmes[i]) || p.pairing_programmes[i])}` : ""}</span>${ui.badge(p.confidences?.[i])}</li>`;
  svg.addEventListener("click", (event) => {
    const target = event.target.closest("[data-id]");
    if (!target) return;
    svg.querySelectorAll(".on").forEach((x) => x.classList.remove("on"));
    target.classList.add("on");
    if (target.classList.contains("node")) {
      const id = target.dataset.id;
      const out = edges.filter((e) => e.properties.source === id);
      const inn = edges.filter((e) => e.properties.target === id && e.properties.source !== id);  // a loop once
      const list = (list, end) => list.flatMap((e) => (e.properties.ids || []).map((_, i) => pairingItem(e.properties, i, `${end === "target" ? "→" : "←"} ${nodeName(e.properties[end])}`))).join("");
      const p = byId.get(id).properties;
      info.innerHTML = `<h2><a href="#/actor/${encodeURIComponent(id)}">${esc(label(p.label_zh, p.label_en, id))}</a></h2>
        ${p.point_approximate ? `<p class="sub">${esc(t("map_approximate"))}${p.point_placed_in ? ` ${esc(t("map_placed_in"))} ${esc(nodeName(p.point_placed_in))}` : ""}</p>` : ""}
        ${out.length ? `<h3>${esc(t("supports"))}</h3><ul class="results" data-testid="map-pairings">${list(out, "target")}</ul>` : ""}
        ${inn.length ? `<h3>${esc(t("supported_by"))}</h3><ul class="results" data-testid="map-pairings">${list(inn, "source")}</ul>` : ""}`;
    } else {
      const e = edges.find((x) => x.id === target.dataset.id).properties;
      const governance = new URLSearchParams({ supporter: e.source, recipient: e.target });
      info.innerHTML = `<h2>${esc(nodeName(e.source))} → ${esc(nodeName(e.target))}</h2>
        <p class="sub">${esc(e.pairings)} ${esc(t("pairings_n"))}${e.distance_km != null ? ` · ${esc(e.distance_km)} km` : ""} · ${(e.fields || []).map((f) => esc(vl("field", f))).join(", ")}</p>
        <ul class="results" data-testid="map-pairings">${(e.ids || []).map((_, i) => pairingItem(e, i, "")).join("")}</ul>
        <p><a data-testid="map-governance" href="#/governance?${governance}">${esc(t("governance_of_list"))}</a></p>`;
    }
  });

  // downloads made from what is drawn: the SVG as a standalone file, and a PNG painted from it
  const standalone = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}`;
  const svgUrl = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(standalone)}`;
  view.querySelector("#map-dl-svg").href = svgUrl;
  const png = view.querySelector("#map-dl-png");
  const image = new Image();
  image.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = WIDTH * 2;
    canvas.height = HEIGHT * 2;
    const g = canvas.getContext("2d");
    g.scale(2, 2);
    g.drawImage(image, 0, 0, WIDTH, HEIGHT);
    png.href = canvas.toDataURL("image/png");
    png.dataset.ready = "true";
  };
  image.src = svgUrl;
  window.pakgMap = { url: ctx.url, hash: location.hash, nodes: located.length, flows: flows.length, features: features.length };
}

// a quadratic curve from a to b bending to the left of its direction (so that a → b and b → a do not
// overlap), ended `gap` short of b so that its arrowhead touches the recipient's circle
function curve(a, b, gap) {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const length = Math.hypot(dx, dy);
  if (length < 1) return `M${a[0]},${a[1]} c -14,-18 14,-18 0,-1`;  // both ends at one point: a small loop
  const bend = 0.22;
  const control = [(a[0] + b[0]) / 2 + dy * bend, (a[1] + b[1]) / 2 - dx * bend];
  const [tx, ty] = [b[0] - control[0], b[1] - control[1]];
  const t = Math.hypot(tx, ty) || 1;
  const stop = Math.min(gap, length / 3);
  const end = [b[0] - (tx / t) * stop, b[1] - (ty / t) * stop];
  const r = (v) => Math.round(v * 10) / 10;
  return `M${r(a[0])},${r(a[1])} Q${r(control[0])},${r(control[1])} ${r(end[0])},${r(end[1])}`;
}

function legendGroup(keys, colour, keyText, t, sizeBy) {
  const g = el("g", { class: "legend", "font-size": 11, fill: "#1d2733", transform: `translate(${MAP_WIDTH + 20}, ${MARGIN + 40})` });
  let y = 0;
  const row = (mark, text) => {
    const r = el("g", { transform: `translate(0, ${y})` });
    r.append(...mark, el("text", { x: 34, y: 4 }, text.length > 52 ? `${text.slice(0, 51)}…` : text), el("title", {}, text));
    g.append(r);
    y += 16;
  };
  g.append(el("rect", { x: -8, y: -14, width: WIDTH - MAP_WIDTH - 40, height: 16 * (keys.length + 4) + 8, fill: "#ffffff", "fill-opacity": 0.85, stroke: "#d7dce2" }));
  for (const k of keys) row([el("line", { x1: 0, y1: 0, x2: 26, y2: 0, stroke: colour(k), "stroke-width": 3 })], keyText(k));
  row([el("circle", { cx: 13, cy: 0, r: 5, fill: NODE_COLOUR.supporter })], t("legend_supporter"));
  row([el("circle", { cx: 13, cy: 0, r: 5, fill: NODE_COLOUR.recipient })], t("legend_recipient"));
  row([el("circle", { cx: 13, cy: 0, r: 5, fill: "#ffffff", stroke: NODE_COLOUR.recipient, "stroke-width": 1.8 })], t("map_approximate"));
  row([el("circle", { cx: 6, cy: 0, r: 3, fill: "#8d99a8" }), el("circle", { cx: 20, cy: 0, r: 7, fill: "#8d99a8" })], t(`map_size_${sizeBy}`));
  return g;
}

function el(name, attributes = {}, text = null) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) if (k !== "xmlns") node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  return node;
}
