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
    parent_unit: "上级单位", note: "说明", in_force: "施行期间", in_force_since: "自{from}起施行", in_force_until: "至{until}失效",
    replaced_by: "被以下工程取代", replaces: "取代的工程", relations: "文件之间的关系",
    rel: { "based-on": ["依据", "以其为依据"], implements: ["实施", "被以下文件实施"], amends: ["修订", "被以下文件修订"],
      replaces: ["取代", "被以下文件取代"], repeals: ["废止", "被以下文件废止"] },
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
    parent_unit: "Part of", note: "Note", in_force: "In force", in_force_since: "since {from}", in_force_until: "until {until}",
    replaced_by: "Replaced by", replaces: "Replaces", relations: "Relations to other instruments",
    rel: { "based-on": ["Based on", "Basis of"], implements: ["Implements", "Implemented by"], amends: ["Amends", "Amended by"],
      replaces: ["Replaces", "Replaced by"], repeals: ["Repeals", "Repealed by"] },
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
// a source by its title (not its id), with its kind, publisher and date; the page of the source beside it
const sourceMeta = (s) => [s.kind, s.publisher, s.date, s.original_outlet && `↤ ${s.original_outlet}`].filter(Boolean).join(" · ");
const shorten = (text, n = 60) => (text && text.length > n ? `${text.slice(0, n - 1)}…` : text || "");
const sources = (list) => (list || []).map((s) => `<span class="srcref"><a class="src" href="${esc(s.url || `#/source/${encodeURIComponent(s.id)}`)}"${s.url ? ' rel="noreferrer" target="_blank"' : ""}
  title="${esc(`${s.title || s.id} — ${sourceMeta(s)}`)}">${esc(shorten(s.title) || s.id)}</a>${s.kind ? `<span class="kind ${esc(s.kind)}">${esc(s.kind)}</span>` : ""}${s.url ? ` <a class="srcpage" href="#/source/${encodeURIComponent(s.id)}" title="${esc(s.id)}">ⓘ</a>` : ""}</span>`).join(" ");
// a period with the basis of its years, in the words the API gives ("since 2010 (inferred from the programme)")
const periodText = (period) => (period ? (lang === "zh" ? period.label_zh : period.label_en) || `${period.start ?? "?"} – ${period.end ?? t("ongoing")}` : "");
const startText = (period) => (period?.start == null ? "" : `${period.start}${period.start_basis && period.start_basis !== "stated" ? "*" : ""}`);

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
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = ct(el.dataset.i18n); });
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
      <span class="sub">${esc(label(p.programme))} · ${esc(p.fields.join(", "))} · <span title="${esc(periodText(p.period))}">${esc(startText(p.period))}</span></span>${badge(p.confidence)}`) +
    group("instruments", instruments.items, (i) => `${link(i, "instrument")}<span class="sub">${esc(i.kind)} · ${esc(i.type || "")}</span>`) +
    group("programmes", programmes.items, (p) => `${link(p, "programme")}<span class="sub">${esc(periodText(p.period))}</span>`);
}

// ---- a pairing and its governance chain --------------------------------------------------------
function facts(rows) {
  return `<table class="facts">${rows.map(([k, v]) => `<tr><th>${esc(t(k))}</th><td>${v}</td></tr>`).join("")}</table>`;
}

// a note for users (what the sources say, what is inferred), as the API gives it
const noteRow = (o) => (o.note ? [["note", `<span class="note" data-testid="note">${esc(o.note)}</span>`]] : []);

// an instrument's validity: in force from, no longer in force from
function inForceText(from, until) {
  if (from && until) return `${from} – ${until}`;
  if (from) return t("in_force_since").replace("{from}", from);
  return until ? t("in_force_until").replace("{until}", until) : "";
}

// how an instrument relates to others, one row per relation and direction ("Based on: …", "Amended by: …"),
// each other end a link, with the link's confidence, sources and note where the API gives them
function relationRows(relations) {
  const rows = new Map();
  for (const r of relations || []) {
    const key = `${r.relation}|${r.direction}`;
    if (!rows.has(key)) rows.set(key, []);
    rows.get(key).push(r);
  }
  return [...rows.entries()].map(([key, list]) => {
    const [relation, direction] = key.split("|");
    const words = t("rel")[relation] || [relation, relation];
    const name = words[direction === "outgoing" ? 0 : 1];
    const items = list.map((r) => `<span class="relation" data-relation="${esc(relation)}" data-direction="${esc(direction)}"${r.note ? ` title="${esc(r.note)}"` : ""}>${link(r.resource, r.resource.kind)}${badge(r.confidence)}${r.sources.length ? ` ${sources(r.sources)}` : ""}</span>`);
    return [name, items.join("; ")];
  });
}

async function pairingView(id) {
  const [p, instruments] = await Promise.all([api(`/pairings/${encodeURIComponent(id)}`),
    api(`/pairings/${encodeURIComponent(id)}/instruments`)]);
  const period = periodText(p.period);
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
      ["confidence", badge(p.confidence)], ["sources", sources(p.sources)], ...noteRow(p)]) +
    `<h2>${esc(t("chain"))}</h2><div class="chain" id="chain">${chain}</div>` +
    (p.evidence.length ? `<h2>${esc(t("evidence"))}</h2><ul class="results">${p.evidence.map((e) =>
      `<li><strong>${esc(e.code)}</strong> ${e.speaker ? link(e.speaker, "actor") : ""}: ${esc(lang === "zh" ? e.quote_zh : e.summary_en)}</li>`).join("")}</ul>` : "") +
    `<p><a href="/id/pairing/${encodeURIComponent(p.id)}?format=turtle">${esc(t("open_rdf"))}</a></p>`;
}

// ---- actors, instruments, programmes, sources ---------------------------------------------------
const pairingList = (items) => `<ul class="results">${items.map((p) => `<li><a href="#/pairing/${encodeURIComponent(p.id)}">${esc(label(p.supporter))} → ${esc(label(p.recipient))}</a>
  <span class="sub">${esc(label(p.programme))} · <span title="${esc(periodText(p.period))}">${esc(startText(p.period))}</span></span>${badge(p.confidence)}</li>`).join("") || `<li>${esc(t("none"))}</li>`}</ul>`;

async function actorView(id) {
  const a = await api(`/actors/${encodeURIComponent(id)}`);
  const below = a.supported_below ? await api(`/pairings?recipient=${encodeURIComponent(id)}&limit=500`) : { items: [] };
  const refs = (list) => list.map((x) => link(x, kindOf(x.iri))).join(", ") || "—";
  view.innerHTML = `<h1>${esc(label(a))} <span class="sub">${esc(other(a))}</span></h1>` +
    facts([["level", esc(a.level || "")], ["parent_unit", link(a.parent, "actor")], ["units", refs(a.sub_organisations)],
      ["members", refs(a.members)], ["member_of", refs(a.member_of)], ["confidence", badge(a.confidence)],
      ["sources", sources(a.sources)], ...noteRow(a)]) +
    `<h2>${esc(t("supports"))} (${a.supports.length})</h2>${pairingList(a.supports)}` +
    `<h2>${esc(t("supported_by"))} (${a.supported_by.length})</h2>${pairingList(a.supported_by)}` +
    (a.supported_below ? `<h2>${esc(t("below"))} (${below.items.length})</h2>${pairingList(below.items)}` : "") +
    attributionTable(a.attributions);
}

async function instrumentView(id) {
  const i = await api(`/instruments/${encodeURIComponent(id)}`);
  const refs = (list) => (list || []).map((x) => link(x, kindOf(x.iri))).join(", ") || "—";
  const inForce = inForceText(i.in_force_from, i.in_force_until);
  view.innerHTML = `<h1>${esc(label(i))} <span class="sub">${esc(other(i))}</span></h1>` +
    facts([["issued_by", refs(i.issued_by)], ["period", esc(i.date || "")],
      ...(inForce ? [["in_force", `<span data-testid="in-force">${esc(inForce)}</span>`]] : []),
      ["governs", refs(i.governs)], ["authorizes", refs(i.authorizes)], ["provisions", refs(i.provisions)],
      ["confidence", badge(i.confidence)], ["sources", sources(i.sources)], ...noteRow(i)]) +
    (i.relations?.length ? `<h2>${esc(t("relations"))}</h2><div class="relations" data-testid="relations">${facts(relationRows(i.relations))}</div>` : "") +
    `<p>${esc(i.summary_en || "")}</p>`;
}

async function programmeView(id) {
  const p = await api(`/programmes/${encodeURIComponent(id)}`);
  const refs = (list) => (list || []).map((x) => link(x, kindOf(x.iri))).join(", ") || "—";
  view.innerHTML = `<h1>${esc(label(p))} <span class="sub">${esc(other(p))}</span></h1>` +
    facts([["period", esc(periodText(p.period))], ["mode", esc(p.mode.join(", "))],
      ...(p.replaced_by?.length ? [["replaced_by", `<span data-testid="replaced-by">${refs(p.replaced_by)}</span>`]] : []),
      ...(p.replaces?.length ? [["replaces", `<span data-testid="replaces">${refs(p.replaces)}</span>`]] : []),
      ["governs", refs(p.governed_by)], ["authorizes", refs(p.authorised_by)], ["sources", sources(p.sources)],
      ...noteRow(p), ...relationRows(p.relations)]) +
    `<h2>${esc(t("pairings"))} (${p.pairings.length})</h2>${pairingList(p.pairings)}`;
}

async function sourceView(id) {
  const s = await api(`/sources/${encodeURIComponent(id)}`);
  const row = (key, value) => `<tr><th>${esc(ct(key))}</th><td>${value}</td></tr>`;
  view.innerHTML = `<h1>${esc(s.title)}</h1><table class="facts">` +
    row("address", s.url ? `<a href="${esc(s.url)}" rel="noreferrer" target="_blank">${esc(s.url)}</a>` : esc(s.citation || "—")) +
    row("source_kind", s.kind ? `<span class="kind ${esc(s.kind)}">${esc(ct(s.kind))}</span>` : "—") +
    row("publisher", esc(s.publisher || "—")) + row("date", esc(s.date || "—")) +
    (s.original_outlet ? row("original_outlet", esc(s.original_outlet)) : "") +
    (s.note ? row("note", esc(s.note)) : "") + row("id", `<code>${esc(s.id)}</code>`) + "</table>" +
    `<h2>${esc(ct("backs"))} (${s.backs.length})</h2>` +
    `<ul class="results">${s.backs.map((b) => `<li>${link(b, b.kind)} <span class="sub">${esc(b.kind)}</span></li>`).join("")}</ul>`;
}

// ---- which source gives which fact, and the coverage of each programme ---------------------------------
const COV_I18N = {
  zh: { nav_coverage: "覆盖范围", coverage: "覆盖范围与已知缺口", coverage_intro: "每项工程：图谱中已有的内容，与来源所述该工程的规模并列；以及已知的缺口。",
    holds: "图谱所含", said: "来源所述", gaps: "已知缺口", other_gaps: "其他已知缺口", total: "全部结对", without_programme: "不属于任何工程的结对",
    pairings_n: "结对", supporters_n: "支援方", recipients_n: "受援方", by_confidence: "按可信度", resting_only_on: "仅依据一类来源",
    start_basis: "起始年份依据", end_basis: "结束年份依据", stated_supporters: "所述支援方数", stated_recipients: "所述受援方数",
    recipient_units: "受援单位", attributions: "各项事实的来源", property: "属性", value: "值", address: "地址", source_kind: "来源类型",
    publisher: "发布者", date: "日期", original_outlet: "原始出处", note: "说明", id: "编号", backs: "依据此来源的资源",
    official: "官方", "state-media": "官方媒体", copy: "转载", academic: "学术", secondary: "二手资料", "fiction-forum": "网络小说/论坛",
    stated: "来源明载", anniversary: "据周年推定", "later-source": "据后来资料推定", programme: "据所属计划推定", continued: "计划后仍继续",
    none: "无", high: "高", medium: "中", low: "低" },
  en: { nav_coverage: "Coverage", coverage: "Coverage and known gaps", coverage_intro: "For each programme: what the graph holds, beside what its sources say the programme holds, and the known gaps.",
    holds: "In the graph", said: "Sources say", gaps: "Known gaps", other_gaps: "Other known gaps", total: "All pairings", without_programme: "Pairings under no programme",
    pairings_n: "pairings", supporters_n: "supporters", recipients_n: "recipients", by_confidence: "By confidence", resting_only_on: "Resting only on one kind of source",
    start_basis: "Basis of the start year", end_basis: "Basis of the end year", stated_supporters: "supporters stated", stated_recipients: "recipients stated",
    recipient_units: "Recipient units", attributions: "Which source gives which fact", property: "Property", value: "Value", address: "Address", source_kind: "Kind of source",
    publisher: "Publisher", date: "Date", original_outlet: "Original outlet", note: "Note", id: "Id", backs: "Resources resting on it",
    official: "official", "state-media": "state media", copy: "copy", academic: "academic", secondary: "secondary", "fiction-forum": "fiction/forum",
    stated: "stated", anniversary: "from an anniversary", "later-source": "from a later source", programme: "from the programme", continued: "continued",
    none: "none", high: "high", medium: "medium", low: "low" },
};
const ct = (key) => COV_I18N[lang][key] ?? t(key);

function attributionTable(list) {
  if (!list || !list.length) return "";
  return `<h2>${esc(ct("attributions"))}</h2><table class="facts attributions"><tr><th>${esc(ct("property"))}</th><th>${esc(ct("value"))}</th><th>${esc(t("sources"))}</th></tr>` +
    list.map((f) => `<tr><td>${esc(f.name)}</td><td>${f.resource ? link(f.resource, kindOf(f.resource.iri)) : esc(f.value)}${f.language ? ` <span class="sub">@${esc(f.language)}</span>` : ""}</td>
      <td>${sources(f.sources)}</td></tr>`).join("") + "</table>";
}

const counts = (record) => Object.entries(record || {}).filter(([, n]) => n).map(([k, n]) => `${esc(ct(k))} ${n}`).join(" · ") || "—";

function holdsTable(h) {
  const row = (key, value) => `<tr><th>${esc(ct(key))}</th><td>${value}</td></tr>`;
  return `<table class="facts holds">` +
    row("holds", `${h.pairings} ${esc(ct("pairings_n"))} · ${h.supporters} ${esc(ct("supporters_n"))} · ${h.recipients} ${esc(ct("recipients_n"))}`) +
    row("by_confidence", counts(h.by_confidence)) + row("resting_only_on", counts(h.resting_only_on)) +
    row("start_basis", counts(h.start_basis)) + row("end_basis", counts(h.end_basis)) + "</table>";
}

const gapList = (gaps) => `<ul class="results gaps">${gaps.map((g) => `<li>${esc(label(g))}
  ${g.about.length ? `<span class="sub">${g.about.map((a) => link(a, kindOf(a.iri))).join(", ")}</span>` : ""} ${sources(g.sources)}</li>`).join("") || `<li>${esc(t("none"))}</li>`}</ul>`;

async function coverageView() {
  const c = await api("/coverage");
  const statement = (s) => `<li>${esc((lang === "zh" ? s.statement_zh : s.statement_en) || s.statement_en || s.statement_zh)}
    <span class="sub">${s.stated_supporters != null ? `${s.stated_supporters} ${esc(ct("stated_supporters"))}` : ""}${s.stated_supporters != null && s.stated_recipients != null ? " · " : ""}${s.stated_recipients != null ? `${s.stated_recipients} ${esc(ct("stated_recipients"))}` : ""}
    ${s.recipient_units_en ? ` · ${esc(s.recipient_units_en)}` : ""}</span>${badge(s.confidence)} ${sources(s.sources)}</li>`;
  const programme = (p) => `<section class="coverage" data-programme="${esc(p.programme.id)}"><h2>${link(p.programme, "programme")} <span class="sub">${esc(periodText(p.period))}</span></h2>
    <div class="compare"><div><h3>${esc(ct("holds"))}</h3>${holdsTable(p.holds)}</div>
    <div><h3>${esc(ct("said"))}</h3><ul class="results">${p.statements.map(statement).join("") || `<li>${esc(t("none"))}</li>`}</ul>
    ${p.gaps.length ? `<h3>${esc(ct("gaps"))}</h3>${gapList(p.gaps)}` : ""}</div></div></section>`;
  view.innerHTML = `<h1>${esc(ct("coverage"))}</h1><p class="sub">${esc(ct("coverage_intro"))}</p>` +
    `<section class="coverage"><h2>${esc(ct("total"))}</h2>${holdsTable(c.total)}</section>` +
    c.programmes.map(programme).join("") +
    (c.without_programme.pairings ? `<section class="coverage"><h2>${esc(ct("without_programme"))}</h2>${holdsTable(c.without_programme)}</section>` : "") +
    (c.other_gaps.length ? `<section class="coverage"><h2>${esc(ct("other_gaps"))}</h2>${gapList(c.other_gaps)}</section>` : "");
}

// ---- the network ----------------------------------------------------------------------------------
// the network view's own words: its fact filters, the legend of the edges' confidence, what was left out
const NET_I18N = {
  zh: { min_confidence: "最低可信度", any: "全部", at_least: "≥ ", leave_out_fiction: "排除网络小说与论坛来源",
    stated_years_only: "仅用来源明载的年份", not_stated: "非来源明载", continued: "延续", legend: "边的样式：结对关系的最低可信度",
    legend_high: "高", legend_medium: "中（虚线）", legend_low: "低（点线）", legend_none: "未注明",
    left_out: "已排除的结对", below_confidence: "低于最低可信度", only_excluded_sources: "仅有被排除类型的来源",
    years_not_stated: "年份非来源明载", nothing_left_out: "未排除任何结对", edge_pairings: "结对",
    years_left_out: "个结对的年份非来源明载，未用于时间",
    stated: "来源明载", inferred: "推断" },
  en: { min_confidence: "Minimum confidence", any: "any", at_least: "≥ ", leave_out_fiction: "Leave out fiction/forum sources",
    stated_years_only: "Stated years only", not_stated: "not stated", continued: "continued", legend: "Edges styled by their pairings' lowest confidence",
    legend_high: "high", legend_medium: "medium (dashed)", legend_low: "low (dotted)", legend_none: "not given",
    left_out: "Pairings left out", below_confidence: "below the minimum confidence",
    only_excluded_sources: "resting only on sources left out", years_not_stated: "years not stated by a source",
    nothing_left_out: "No pairing left out", edge_pairings: "Pairings", stated: "stated", inferred: "inferred",
    years_left_out: "pairings with a year not stated, left out of their time" },
};
const nt = (key) => NET_I18N[lang][key] ?? key;
const EDGE_STYLE = { high: { color: "#8d99a8", dash: "" }, medium: { color: "#b26a00", dash: "6 4" },
  low: { color: "#b3261e", dash: "1 4" }, "": { color: "#c9ced6", dash: "" } };

function networkLegend() {  // SVG presentation attributes, no style attribute: the page's CSP holds
  const row = (level, text) => `<span class="legend-item"><svg width="36" height="10" aria-hidden="true"><line x1="2" y1="5" x2="34" y2="5"
    stroke="${EDGE_STYLE[level].color}" stroke-width="3"${EDGE_STYLE[level].dash ? ` stroke-dasharray="${EDGE_STYLE[level].dash}"` : ""}
    stroke-linecap="round"/></svg> ${esc(text)}</span>`;
  return `<p class="legend sub" id="netlegend" data-testid="netlegend">${esc(nt("legend"))}: ` +
    [row("high", nt("legend_high")), row("medium", nt("legend_medium")), row("low", nt("legend_low")),
      row("", nt("legend_none"))].join(" · ") + "</p>";
}

function leftOutText(graph) {  // the network's graph data: what the fact filters left out
  const parts = Object.entries(graph?.left_out || {}).filter(([, n]) => n).map(([k, n]) => `${n} ${nt(k)}`);
  const years = graph?.stated_years_only ? ` · ${graph.years_left_out || 0} ${nt("years_left_out")}` : "";
  return (parts.length ? `${nt("left_out")}: ${parts.join(", ")}` : nt("nothing_left_out")) + years;
}

async function networkView(params) {
  const [programmes, vocab] = await Promise.all([api("/programmes?limit=100"), api("/analysis")]);
  const value = (k, d = "") => params.get(k) ?? d;
  const option = (v, text, current) => `<option value="${esc(v)}"${v === current ? " selected" : ""}>${esc(text)}</option>`;
  const fields = ["comprehensive", "medical", "education", "cadre", "industry", "poverty alleviation", "relief", "reconstruction",
    "resettlement", "rural revitalization"];
  const modes = ["traditional", "group-style", "east-west-cooperation", "disaster-reconstruction", "resettlement"];
  view.innerHTML = `<form class="filters" id="netfilters">
    <label>${esc(t("programme"))}<select name="programme">${option("", t("all"), value("programme"))}${programmes.items.map((p) => option(p.id, label(p), value("programme"))).join("")}</select></label>
    <label>${esc(t("field"))}<select name="field">${option("", t("all"), value("field"))}${fields.map((f) => option(f, f, value("field"))).join("")}</select></label>
    <label>${esc(t("mode"))}<select name="mode">${option("", t("all"), value("mode"))}${modes.map((m) => option(m, m, value("mode"))).join("")}</select></label>
    <label>${esc(t("year"))}<input name="year" type="number" min="1949" max="2100" value="${esc(value("year"))}"></label>
    <label>${esc(t("level"))}<select name="level">${vocab.levels.map((l) => option(l, l, value("level", "province"))).join("")}</select></label>
    <label>${esc(t("size_by"))}<select name="measure">${["degree", "pagerank", "betweenness"].map((m) => option(m, m, value("measure", "degree"))).join("")}</select></label>
    <label>${esc(nt("min_confidence"))}<select name="min_confidence">${option("", nt("any"), value("min_confidence"))}${["medium", "high"].map((c) => option(c, nt("at_least") + c, value("min_confidence"))).join("")}</select></label>
    <label class="check"><input type="checkbox" name="exclude_source_kind" value="fiction-forum"${params.getAll("exclude_source_kind").includes("fiction-forum") ? " checked" : ""}> ${esc(nt("leave_out_fiction"))}</label>
    <label class="check"><input type="checkbox" name="stated_years_only" value="true"${value("stated_years_only") === "true" ? " checked" : ""}> ${esc(nt("stated_years_only"))}</label>
    <button class="primary" type="submit">${esc(t("filter"))}</button></form>
    <p><span id="netcount" data-testid="netcount"></span> · <span id="netleftout" data-testid="netleftout"></span> · ${esc(t("download"))}:
      <a id="dl-graphml">GraphML</a> · <a id="dl-gexf">GEXF</a> · <a id="dl-csv">CSV</a> · <a id="dl-png" href="#">PNG</a></p>
    ${networkLegend()}
    <div class="netlayout"><div id="cy"></div><div class="side" id="nodeinfo">${esc(t("click_node"))}</div></div>`;
  view.querySelector("#netfilters").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = new URLSearchParams(new FormData(e.target));
    for (const [k, v] of [...form.entries()]) if (!v) form.delete(k);
    location.hash = `#/network?${form}`;
  });
  const query = new URLSearchParams({ level: value("level", "province") });
  for (const k of ["programme", "field", "mode", "year", "min_confidence", "stated_years_only"]) if (value(k)) query.set(k, value(k));
  for (const kind of params.getAll("exclude_source_kind")) query.append("exclude_source_kind", kind);
  const measure = value("measure", "degree");
  const [data, scores] = await Promise.all([api(`/network?format=cytoscape&${query}`), api(`/analysis/${measure}?${query}`)]);
  view.querySelector("#dl-graphml").href = `/network?format=graphml&${query}`;
  view.querySelector("#dl-gexf").href = `/network?format=gexf&${query}`;
  view.querySelector("#dl-csv").href = `/network?format=csv&${query}`;
  view.querySelector("#netleftout").textContent = leftOutText(data.data);
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
        "line-color": EDGE_STYLE[""].color, "target-arrow-color": EDGE_STYLE[""].color } },
      ...["high", "medium", "low"].map((c) => ({ selector: `edge[confidence = "${c}"]`, style: {
        "line-color": EDGE_STYLE[c].color, "target-arrow-color": EDGE_STYLE[c].color,
        "line-style": c === "high" ? "solid" : c === "medium" ? "dashed" : "dotted" } })),
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
  cy.on("tap", "edge", (event) => {
    const e = event.target.data();
    // a year and its basis; no year: none known, a source says it continued, or (stated years only) not stated
    const year = (y, basis) => (y == null || y === ""
      ? (basis === "continued" ? nt("continued") : basis ? `? (${nt("not_stated")}: ${basis})` : "")
      : `${y} (${basis === "stated" ? nt("stated") : `${nt("inferred")}: ${basis}`})`);
    const rows = (e.ids || []).map((id, i) => `<li><a href="#/pairing/${encodeURIComponent(id)}">${esc(id)}</a>${badge(e.confidences?.[i])}
      <span class="sub">${esc(year(e.starts?.[i], e.start_bases?.[i]) || "?")} – ${esc(year(e.ends?.[i], e.end_bases?.[i]) || t("ongoing"))}
      · ${esc((e.pairing_sources?.[i] || []).map((s) => e.source_titles?.[(e.sources || []).indexOf(s)] || s).join("; "))}</span></li>`);
    view.querySelector("#nodeinfo").innerHTML = `<h2>${esc(label(cy.getElementById(e.source).data()))} → ${esc(label(cy.getElementById(e.target).data()))}</h2>
      <p class="sub">${esc(t("confidence"))}: ${badge(e.confidence)} · ${esc(nt("edge_pairings"))}: ${(e.ids || []).length}</p><ul class="results">${rows.join("")}</ul>`;
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

// ---- how to cite the dataset (/cite), and its two versions in the footer -------------------------------
const CITE_I18N = {
  zh: { cite: "引用", cite_title: "如何引用本数据集", cite_intro: "引用时请注明版本：发布版本（语义化版本号）与内容版本（本次构建的哈希值）。",
    release: "发布版本", content_version: "内容版本", licence: "许可", plain: "纯文本", copy: "复制", copied: "已复制",
    other_formats: "下载", dataset: "数据集" },
  en: { cite: "Cite", cite_title: "How to cite this dataset", cite_intro: "Cite it with its version: the release (a semantic version) and the content version (the hash of this build).",
    release: "Release", content_version: "Content version", licence: "Licence", plain: "Plain text", copy: "Copy", copied: "Copied",
    other_formats: "Download", dataset: "dataset" },
};
const cite = (key) => CITE_I18N[lang][key] ?? t(key);
const CITE_FORMATS = [["text", "plain"], ["bibtex", "BibTeX"], ["ris", "RIS"]];

async function citeText(format) {
  const response = await fetch(`/cite?format=${encodeURIComponent(format)}`, { headers: { "Accept-Language": lang } });
  if (!response.ok) throw new Error(response.statusText);
  const licence = /<([^>]+)>;\s*rel="license"/.exec(response.headers.get("Link") || "");
  return { text: await response.text(), release: response.headers.get("X-Dataset-Release"),
    version: response.headers.get("X-Dataset-Version"), licence: licence ? licence[1] : null };
}

async function citeView() {
  const forms = await Promise.all(CITE_FORMATS.map(([format]) => citeText(format)));
  const { release, version, licence } = forms[0];
  view.innerHTML = `<h1>${esc(cite("cite_title"))}</h1><p class="sub">${esc(cite("cite_intro"))}</p>
    <table class="facts cite-versions"><tr><th>${esc(cite("release"))}</th><td data-release>${esc(release)}</td></tr>
    <tr><th>${esc(cite("content_version"))}</th><td data-content-version><code>${esc(version)}</code></td></tr>
    ${licence ? `<tr><th>${esc(cite("licence"))}</th><td><a href="${esc(licence)}" rel="license noreferrer" target="_blank">${esc(licence)}</a></td></tr>` : ""}</table>` +
    CITE_FORMATS.map(([format, name], i) => `<section class="cite" data-format="${esc(format)}"><h2>${esc(cite(name))}
      <button type="button" data-copy="${i}">${esc(cite("copy"))}</button></h2><pre>${esc(forms[i].text)}</pre></section>`).join("") +
    `<p class="sub">${esc(cite("other_formats"))}: ${[...CITE_FORMATS.slice(1), ["csl-json", "CSL-JSON"]].map(([format, name]) =>
      `<a href="/cite?format=${esc(format)}" download>${esc(name)}</a>`).join(" · ")}</p>`;
  view.querySelectorAll("[data-copy]").forEach((b) => b.addEventListener("click", async () => {
    await navigator.clipboard?.writeText(forms[Number(b.dataset.copy)].text);
    b.textContent = cite("copied");
  }));
}

// the footer: the release and the content version of the dataset served, and the way to cite it
function showVersions(h) {
  const footer = document.getElementById("version");
  footer.innerHTML = `${esc(cite("dataset"))} <span data-release>${esc(h.release ?? "")}</span> · ` +
    `<code data-content-version title="${esc(cite("content_version"))}">${esc(h.version)}</code> · <a href="#/cite">${esc(cite("cite"))}</a>`;
}
let health = null;

// ---- routing ------------------------------------------------------------------------------------------
const ROUTES = { search: searchView, pairing: pairingView, actor: actorView, instrument: instrumentView,
  programme: programmeView, source: sourceView, coverage: coverageView, network: networkView, sparql: sparqlView,
  cite: citeView };

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
  if (health) showVersions(health);
  route();
}));
window.addEventListener("hashchange", route);
api("/health").then((h) => { health = h; showVersions(h); });
route();
