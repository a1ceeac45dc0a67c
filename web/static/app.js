// pakg explorer: search, pairings with their governance chain, the network, a SPARQL editor.
// Talks only to this server's API; the libraries come from the npm registry via /vendor.

const I18N = {
  zh: {
    title: "对口支援知识图谱", nav_search: "搜索", nav_network: "网络", nav_sparql: "SPARQL 查询",
    footer: "每条事实均附来源", search_placeholder: "输入地区、机构、文件或工程，例如 克州、和田、Hotan",
    search: "搜索", actors: "行动者", pairings: "结对关系", instruments: "规范性文件", programmes: "工程",
    none: "没有结果", supporter: "支援方", recipient: "受援方", fields: "领域", mode: "模式", period: "时间",
    programme: "所属工程", parent: "上级结对", sub_pairings: "下级结对", confidence: "可信度", sources: "来源",
    chain: "治理链条", hard_law: "硬法（授权）", soft_law: "软法（规约）", pairing: "结对", teams: "援助团队",
    people: "人员", evidence: "证据材料", supports: "支援", supported_by: "受援", below: "下属单位的受援结对",
    members: "成员", member_of: "所属", units: "下属单位", governs: "规约", authorizes: "授权", issued_by: "发布机关",
    provisions: "条款", level: "行政级别", year: "年份", field: "领域", size_by: "节点大小", all: "全部",
    filter: "筛选", nodes: "个节点", edges: "条边", download: "下载", click_node: "点击节点查看其结对关系",
    examples: "示例查询", via: { direct: "直接规约", programme: "经由所属工程", "parent-pairing": "经由上级结对",
      "parent-programme": "经由上级结对的工程", "authorising-hard-law": "授权的硬法" }, ongoing: "至今",
    open_rdf: "RDF 描述", loading: "加载中…",
  },
  en: {
    title: "Paired-Assistance Knowledge Graph", nav_search: "Search", nav_network: "Network", nav_sparql: "SPARQL",
    footer: "Every fact carries its source", search_placeholder: "A region, organisation, instrument or programme, e.g. 克州, Hotan",
    search: "Search", actors: "Actors", pairings: "Pairings", instruments: "Instruments", programmes: "Programmes",
    none: "No results", supporter: "Supporter", recipient: "Recipient", fields: "Fields", mode: "Mode", period: "Period",
    programme: "Programme", parent: "Parent pairing", sub_pairings: "Sub-pairings", confidence: "Confidence", sources: "Sources",
    chain: "Governance chain", hard_law: "Hard law (authorises)", soft_law: "Soft law (governs)", pairing: "Pairing",
    teams: "Teams", people: "People", evidence: "Evidence", supports: "Supports", supported_by: "Supported by",
    below: "Pairings of the units below", members: "Members", member_of: "Member of", units: "Units below",
    governs: "Governs", authorizes: "Authorises", issued_by: "Issued by", provisions: "Provisions", level: "Level",
    year: "Year", field: "Field", size_by: "Node size", all: "all", filter: "Filter", nodes: "nodes", edges: "edges",
    download: "Download", click_node: "Click a node to list its pairings", examples: "Example queries",
    via: { direct: "directly", programme: "through its programme", "parent-pairing": "through a parent pairing",
      "parent-programme": "through a parent pairing's programme", "authorising-hard-law": "authorising hard law" },
    ongoing: "ongoing", open_rdf: "RDF description", loading: "Loading…",
  },
};

let lang = localStorage.getItem("pakg-lang") || (navigator.language.startsWith("zh") ? "zh" : "en");
const t = (key) => I18N[lang][key] ?? key;
const view = document.getElementById("view");
let cy = null;

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
const label = (o) => (o ? (lang === "zh" ? o.label_zh : o.label_en) || o.label_en || o.label_zh || o.id : "");
const other = (o) => (o ? (lang === "zh" ? o.label_en : o.label_zh) : "");
const kindOf = (iri) => (iri || "").split("/").slice(-2, -1)[0];
const link = (o, kind) => (o ? `<a href="#/${kind || kindOf(o.iri)}/${encodeURIComponent(o.id)}">${esc(label(o))}</a>` : "—");
const badge = (c) => (c ? `<span class="badge ${esc(c)}" title="${esc(t("confidence"))}">${esc(c)}</span>` : "");
const sources = (list) => (list || []).map((s) => s.url
  ? `<a class="src" href="${esc(s.url)}" rel="noreferrer" target="_blank" title="${esc(s.title)}">${esc(s.id)}</a>`
  : `<a class="src" href="#/source/${encodeURIComponent(s.id)}" title="${esc(s.title)}">${esc(s.id)}</a>`).join(" ");

async function api(path) {
  const response = await fetch(path, { headers: { "Accept-Language": lang, Accept: "application/json" } });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const error = new Error(body.detail || response.statusText);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

function translateChrome() {
  document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll("[data-lang]").forEach((b) => b.classList.toggle("on", b.dataset.lang === lang));
}

// ---- search ------------------------------------------------------------------------------------
async function searchView(params) {
  const q = params.get("q") || "";
  view.innerHTML = `<form class="search" role="search"><input name="q" value="${esc(q)}" placeholder="${esc(t("search_placeholder"))}" aria-label="${esc(t("search"))}">
    <button class="primary" type="submit">${esc(t("search"))}</button></form><div id="results"></div>`;
  view.querySelector("form").addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = `#/search?q=${encodeURIComponent(view.querySelector("input").value.trim())}`;
  });
  if (!q) return;
  const results = view.querySelector("#results");
  results.textContent = t("loading");
  const enc = encodeURIComponent(q);
  const [actors, named, instruments, programmes, byText] = await Promise.all([
    api(`/actors?q=${enc}&limit=50`), api(`/actors?label=${enc}&limit=5`), api(`/instruments?q=${enc}&limit=50`),
    api(`/programmes?q=${enc}&limit=50`), api(`/pairings?q=${enc}&limit=100`),
  ]);
  // an exact name (克州, Hotan Prefecture): its pairings as recipient or supporter, units below included
  const [asRecipient, asSupporter] = named.items.length === 1
    ? await Promise.all([api(`/pairings?recipient=${encodeURIComponent(named.items[0].id)}&limit=500`),
      api(`/pairings?supporter=${encodeURIComponent(named.items[0].id)}&limit=500`)])
    : [null, null];
  const pairings = new Map();
  for (const page of [asRecipient, asSupporter, byText]) for (const p of page?.items || []) pairings.set(p.id, p);
  const group = (key, items, render) => `<section class="group" data-kind="${key}"><h2>${esc(t(key))} (${items.length})</h2>
    <ul class="results">${items.map((i) => `<li>${render(i)}</li>`).join("") || `<li>${esc(t("none"))}</li>`}</ul></section>`;
  results.innerHTML =
    group("actors", actors.items, (a) => `${link(a, "actor")}<span class="sub">${esc(other(a))} · ${esc(a.level || a.types.join(", "))}</span>`) +
    group("pairings", [...pairings.values()], (p) => `<a href="#/pairing/${encodeURIComponent(p.id)}">${esc(label(p.supporter))} → ${esc(label(p.recipient))}</a>
      <span class="sub">${esc(label(p.programme))} · ${esc(p.fields.join(", "))} · ${esc(p.period.start ?? "")}</span>${badge(p.confidence)}`) +
    group("instruments", instruments.items, (i) => `${link(i, "instrument")}<span class="sub">${esc(i.kind)} · ${esc(i.type || "")}</span>`) +
    group("programmes", programmes.items, (p) => `${link(p, "programme")}<span class="sub">${esc(p.period.start ?? "")}</span>`);
}

// ---- a pairing and its governance chain --------------------------------------------------------
function facts(rows) {
  return `<table class="facts">${rows.map(([k, v]) => `<tr><th>${esc(t(k))}</th><td>${v}</td></tr>`).join("")}</table>`;
}

async function pairingView(id) {
  const [p, instruments] = await Promise.all([api(`/pairings/${encodeURIComponent(id)}`),
    api(`/pairings/${encodeURIComponent(id)}/instruments`)]);
  const period = `${p.period.start ?? "?"} – ${p.period.end ?? t("ongoing")}`;
  const item = (i) => `<div class="item" data-instrument="${esc(i.id)}">${link(i, "instrument")} ${badge(i.confidence)}
    <span class="via">${esc(t("via")[i.via] || i.via)}${i.path.length > 1 ? ": " + i.path.slice(1).map(label).map(esc).join(" → ") : ""}</span>
    <span class="src">${esc(t("sources"))}: ${sources(i.sources)}</span></div>`;
  const hard = instruments.items.filter((i) => i.kind === "hard-law");
  const soft = instruments.items.filter((i) => i.kind === "soft-law");
  const programmes = p.programme ? [p.programme] : [];
  const step = (key, body) => `<div class="step" data-step="${key}"><h3>${esc(t(key))}</h3>${body || "—"}</div>`;
  const arrow = `<div class="arrow">→</div>`;
  const chain = [
    step("hard_law", hard.map(item).join("")),
    step("soft_law", soft.map(item).join("")),
    step("programme", programmes.map((x) => `<div class="item">${link(x, "programme")}</div>`).join("")),
    step("pairing", `<div class="item"><strong>${esc(label(p.supporter))} → ${esc(label(p.recipient))}</strong> ${badge(p.confidence)}
      <span class="src">${esc(t("sources"))}: ${sources(p.sources)}</span></div>` +
      p.sub_pairings.map((s) => `<div class="item">↳ <a href="#/pairing/${encodeURIComponent(s.id)}">${esc(label(s.supporter))} → ${esc(label(s.recipient))}</a></div>`).join("")),
    step("teams", p.teams.map((x) => `<div class="item">${link(x, "actor")}</div>`).join("")),
    step("people", p.people.map((x) => `<div class="item">${link(x, "actor")}</div>`).join("")),
  ].join(arrow);
  view.innerHTML = `<h1>${link(p.supporter, "actor")} → ${link(p.recipient, "actor")}</h1>
    <p class="sub">${esc(label(p))}</p>` +
    facts([["supporter", link(p.supporter, "actor") + (p.supporter_detail ? ` <span class="sub">${esc(p.supporter_detail)}</span>` : "")],
      ["recipient", link(p.recipient, "actor")], ["fields", esc(p.fields.join(", "))], ["mode", esc(p.mode)],
      ["period", esc(period)], ["programme", link(p.programme, "programme")],
      ["parent", p.parent ? `<a href="#/pairing/${encodeURIComponent(p.parent.id)}">${esc(label(p.parent))}</a>` : "—"],
      ["confidence", badge(p.confidence)], ["sources", sources(p.sources)]]) +
    `<h2>${esc(t("chain"))}</h2><div class="chain" id="chain">${chain}</div>` +
    (p.evidence.length ? `<h2>${esc(t("evidence"))}</h2><ul class="results">${p.evidence.map((e) =>
      `<li><strong>${esc(e.code)}</strong> ${e.speaker ? link(e.speaker, "actor") : ""}: ${esc(lang === "zh" ? e.quote_zh : e.summary_en)}</li>`).join("")}</ul>` : "") +
    `<p><a href="/id/pairing/${encodeURIComponent(p.id)}?format=turtle">${esc(t("open_rdf"))}</a></p>`;
}

// ---- actors, instruments, programmes, sources ---------------------------------------------------
const pairingList = (items) => `<ul class="results">${items.map((p) => `<li><a href="#/pairing/${encodeURIComponent(p.id)}">${esc(label(p.supporter))} → ${esc(label(p.recipient))}</a>
  <span class="sub">${esc(label(p.programme))} · ${esc(p.period.start ?? "")}</span>${badge(p.confidence)}</li>`).join("") || `<li>${esc(t("none"))}</li>`}</ul>`;

async function actorView(id) {
  const a = await api(`/actors/${encodeURIComponent(id)}`);
  const below = a.supported_below ? await api(`/pairings?recipient=${encodeURIComponent(id)}&limit=500`) : { items: [] };
  const refs = (list) => list.map((x) => link(x, kindOf(x.iri))).join(", ") || "—";
  view.innerHTML = `<h1>${esc(label(a))} <span class="sub">${esc(other(a))}</span></h1>` +
    facts([["level", esc(a.level || "")], ["parent", link(a.parent, "actor")], ["units", refs(a.sub_organisations)],
      ["members", refs(a.members)], ["member_of", refs(a.member_of)], ["confidence", badge(a.confidence)],
      ["sources", sources(a.sources)]]) +
    `<h2>${esc(t("supports"))} (${a.supports.length})</h2>${pairingList(a.supports)}` +
    `<h2>${esc(t("supported_by"))} (${a.supported_by.length})</h2>${pairingList(a.supported_by)}` +
    (a.supported_below ? `<h2>${esc(t("below"))} (${below.items.length})</h2>${pairingList(below.items)}` : "");
}

async function instrumentView(id) {
  const i = await api(`/instruments/${encodeURIComponent(id)}`);
  const refs = (list) => (list || []).map((x) => link(x, kindOf(x.iri))).join(", ") || "—";
  view.innerHTML = `<h1>${esc(label(i))} <span class="sub">${esc(other(i))}</span></h1>` +
    facts([["issued_by", refs(i.issued_by)], ["period", esc(i.date || "")], ["governs", refs(i.governs)],
      ["authorizes", refs(i.authorizes)], ["provisions", refs(i.provisions)], ["confidence", badge(i.confidence)],
      ["sources", sources(i.sources)]]) + `<p>${esc(i.summary_en || "")}</p>`;
}

async function programmeView(id) {
  const p = await api(`/programmes/${encodeURIComponent(id)}`);
  const refs = (list) => (list || []).map((x) => link(x, kindOf(x.iri))).join(", ") || "—";
  view.innerHTML = `<h1>${esc(label(p))} <span class="sub">${esc(other(p))}</span></h1>` +
    facts([["period", esc(`${p.period.start ?? "?"} – ${p.period.end ?? t("ongoing")}`)], ["mode", esc(p.mode.join(", "))],
      ["governs", refs(p.governed_by)], ["authorizes", refs(p.authorised_by)], ["sources", sources(p.sources)]]) +
    `<h2>${esc(t("pairings"))} (${p.pairings.length})</h2>${pairingList(p.pairings)}`;
}

async function sourceView(id) {
  const s = await api(`/sources/${encodeURIComponent(id)}`);
  view.innerHTML = `<h1>${esc(s.title)}</h1>` + facts([["sources", s.url ? `<a href="${esc(s.url)}">${esc(s.url)}</a>` : esc(s.citation)]]) +
    `<ul class="results">${s.backs.map((b) => `<li>${link(b, b.kind)} <span class="sub">${esc(b.kind)}</span></li>`).join("")}</ul>`;
}

// ---- the network ----------------------------------------------------------------------------------
async function networkView(params) {
  const [programmes, vocab] = await Promise.all([api("/programmes?limit=100"), api("/analysis")]);
  const value = (k, d = "") => params.get(k) ?? d;
  const option = (v, text, current) => `<option value="${esc(v)}"${v === current ? " selected" : ""}>${esc(text)}</option>`;
  const fields = ["comprehensive", "medical", "education", "cadre", "poverty alleviation", "relief", "reconstruction"];
  const modes = ["traditional", "group-style", "east-west-cooperation", "disaster-reconstruction"];
  view.innerHTML = `<form class="filters" id="netfilters">
    <label>${esc(t("programme"))}<select name="programme">${option("", t("all"), value("programme"))}${programmes.items.map((p) => option(p.id, label(p), value("programme"))).join("")}</select></label>
    <label>${esc(t("field"))}<select name="field">${option("", t("all"), value("field"))}${fields.map((f) => option(f, f, value("field"))).join("")}</select></label>
    <label>${esc(t("mode"))}<select name="mode">${option("", t("all"), value("mode"))}${modes.map((m) => option(m, m, value("mode"))).join("")}</select></label>
    <label>${esc(t("year"))}<input name="year" type="number" min="1949" max="2100" value="${esc(value("year"))}"></label>
    <label>${esc(t("level"))}<select name="level">${vocab.levels.map((l) => option(l, l, value("level", "province"))).join("")}</select></label>
    <label>${esc(t("size_by"))}<select name="measure">${["degree", "pagerank", "betweenness"].map((m) => option(m, m, value("measure", "degree"))).join("")}</select></label>
    <button class="primary" type="submit">${esc(t("filter"))}</button></form>
    <p><span id="netcount" data-testid="netcount"></span> · ${esc(t("download"))}:
      <a id="dl-graphml">GraphML</a> · <a id="dl-gexf">GEXF</a> · <a id="dl-png" href="#">PNG</a></p>
    <div class="netlayout"><div id="cy"></div><div class="side" id="nodeinfo">${esc(t("click_node"))}</div></div>`;
  view.querySelector("#netfilters").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = new URLSearchParams(new FormData(e.target));
    for (const [k, v] of [...form.entries()]) if (!v) form.delete(k);
    location.hash = `#/network?${form}`;
  });
  const query = new URLSearchParams({ level: value("level", "province") });
  for (const k of ["programme", "field", "mode", "year"]) if (value(k)) query.set(k, value(k));
  const measure = value("measure", "degree");
  const [data, scores] = await Promise.all([api(`/network?format=cytoscape&${query}`), api(`/analysis/${measure}?${query}`)]);
  view.querySelector("#dl-graphml").href = `/network?format=graphml&${query}`;
  view.querySelector("#dl-gexf").href = `/network?format=gexf&${query}`;
  const score = new Map(scores.rows.map((r) => [r.node.iri, measure === "degree" ? r.in_strength + r.out_strength : r[measure]]));
  const max = Math.max(1e-9, ...score.values());
  const nodes = data.elements.nodes.map((n) => ({ data: { ...n.data, size: 14 + 40 * Math.sqrt((score.get(n.data.iri) || 0) / max),
    name: lang === "zh" ? n.data.label_zh : n.data.label_en } }));
  const edges = data.elements.edges.map((e) => ({ data: { ...e.data, width: 1 + Math.min(6, e.data.pairings || 1) } }));
  view.querySelector("#netcount").textContent = `${nodes.length} ${t("nodes")}, ${edges.length} ${t("edges")}`;
  if (cy) cy.destroy();
  cy = cytoscape({
    container: view.querySelector("#cy"), elements: { nodes, edges },
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: 9000, idealEdgeLength: 90 },
    style: [
      { selector: "node", style: { width: "data(size)", height: "data(size)", label: "data(name)", "font-size": 9,
        "background-color": "#4c72b0", color: "#1d2733", "text-valign": "bottom" } },
      { selector: "node[[outdegree = 0]]", style: { "background-color": "#bbbbbb" } },
      { selector: "edge", style: { width: "data(width)", "curve-style": "bezier", "target-arrow-shape": "triangle",
        "line-color": "#c9ced6", "target-arrow-color": "#c9ced6" } },
      { selector: ":selected", style: { "background-color": "#b3261e", "line-color": "#b3261e" } },
    ],
  });
  window.pakgCy = cy;
  cy.on("tap", "node", async (event) => {
    const node = event.target.data();
    const info = view.querySelector("#nodeinfo");
    info.textContent = t("loading");
    const as = node.outdegree !== 0 && event.target.outdegree() > 0 ? "supporter" : "recipient";
    const filter = new URLSearchParams(query);
    filter.delete("level");
    filter.set(as, node.key);
    filter.set("limit", "500");
    const page = await api(`/pairings?${filter}`);
    info.innerHTML = `<h2>${link({ id: node.key, iri: node.iri, label_zh: node.label_zh, label_en: node.label_en }, "actor")}</h2>
      <p class="sub">${esc(t(as === "supporter" ? "supports" : "supported_by"))}: ${page.total}</p>${pairingList(page.items)}`;
  });
  view.querySelector("#dl-png").addEventListener("click", (e) => {
    e.preventDefault();
    const a = document.createElement("a");
    a.href = cy.png({ full: true, scale: 2, bg: "#ffffff" });
    a.download = "pakg-network.png";
    a.click();
  });
}

// ---- SPARQL ------------------------------------------------------------------------------------------
let yasgui = null;
async function sparqlView() {
  const examples = await api("/sparql/examples");
  view.innerHTML = `<h2>${esc(t("examples"))}</h2><div class="examples">${examples.map((e, i) =>
    `<button type="button" data-example="${i}">${esc(lang === "zh" ? e.title_zh : e.title_en)}</button>`).join("")}</div><div id="yasgui"></div>`;
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];  // no look-ups on other servers
  yasgui = new Yasgui(view.querySelector("#yasgui"), {
    requestConfig: { endpoint: new URL("/sparql", location.href).href, method: "POST" },
    copyEndpointOnNewTab: false, persistenceId: null, showEndpointInput: false, populateFromUrl: false,
    endpointCatalogueOptions: { getData: () => [] },
  });
  window.pakgYasgui = yasgui;
  const tab = yasgui.getTab();
  if (!tab.getYasqe().getValue().trim() || tab.getYasqe().getValue().includes("SELECT * WHERE")) tab.setQuery(examples[0].text);
  view.querySelectorAll("[data-example]").forEach((b) => b.addEventListener("click", () => {
    const current = yasgui.getTab();
    current.setQuery(examples[Number(b.dataset.example)].text);
    current.query();
  }));
}

// ---- routing ------------------------------------------------------------------------------------------
const ROUTES = { search: searchView, pairing: pairingView, actor: actorView, instrument: instrumentView,
  programme: programmeView, source: sourceView, network: networkView, sparql: sparqlView };

async function route() {
  translateChrome();
  const hash = location.hash.replace(/^#\/?/, "") || "search";
  const [path, query] = hash.split("?");
  const [name, ...rest] = path.split("/");
  const handler = ROUTES[name] || searchView;
  const arg = rest.length ? decodeURIComponent(rest.join("/")) : new URLSearchParams(query || "");
  try {
    view.innerHTML = `<p>${esc(t("loading"))}</p>`;
    await handler(arg);
  } catch (error) {
    view.innerHTML = `<p class="error">${esc(error.message)}</p>`;
  }
}

document.querySelectorAll("[data-lang]").forEach((b) => b.addEventListener("click", () => {
  lang = b.dataset.lang;
  localStorage.setItem("pakg-lang", lang);
  route();
}));
window.addEventListener("hashchange", route);
api("/health").then((h) => { document.getElementById("version").textContent = `dataset ${h.version}`; });
route();
