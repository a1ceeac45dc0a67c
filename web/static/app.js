// pakg explorer: a home page, search by any name, pairings with their governance, the network, named
// queries, a SPARQL editor.  Talks only to this server's API; the libraries come from the npm registry
// via /vendor.  The words of the interface are in i18n.js; the labels of vocabulary values come from
// the graph (GET /vocabulary).
import { I18N, loadVocabulary, vocabLabel, vocabValues } from "/static/i18n.js";
import { mapView } from "/static/map.js";

let lang = localStorage.getItem("pakg-lang") || ((navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en");
const t = (key) => I18N[lang][key] ?? key;
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
const view = document.getElementById("view");
let cy = null;

function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
const label = (o) => (o ? (lang === "zh" ? o.label_zh : o.label_en) || o.label_en || o.label_zh || o.id : "");
const other = (o) => (o ? (lang === "zh" ? o.label_en : o.label_zh) : "");
const kindOf = (iri) => (iri || "").split("/").slice(-2, -1)[0];
const link = (o, kind) => (o ? `<a href="#/${kind || kindOf(o.iri)}/${encodeURIComponent(o.id)}">${esc(label(o))}</a>` : "—");
// a vocabulary value (a field, mode, level, confidence …) by its label in the chosen language, marked with
// its vocabulary and code so that what is shown can be checked against the graph's labels
const vl = (name, value) => vocabLabel(name, value, lang);
const vocab = (name, value) => (value == null || value === "" ? "" :
  `<span class="vocab" data-vocab="${esc(name)}" data-value="${esc(value)}">${esc(vl(name, value))}</span>`);
const vocabList = (name, values) => (values || []).map((v) => vocab(name, v)).join(lang === "zh" ? "、" : ", ");
const badge = (c) => (c ? `<span class="badge ${esc(c)}" title="${esc(t("confidence"))}">${vocab("confidence", c)}</span>` : "");
// a source by its title (not its id), with its kind, publisher and date; the page of the source beside it
const sourceMeta = (s) => [s.kind && vl("source-kind", s.kind), s.publisher, s.date, s.original_outlet && `↤ ${s.original_outlet}`].filter(Boolean).join(" · ");
const shorten = (text, n = 60) => (text && text.length > n ? `${text.slice(0, n - 1)}…` : text || "");
const sources = (list) => (list || []).map((s) => `<span class="srcref"><a class="src" href="${esc(s.url || `#/source/${encodeURIComponent(s.id)}`)}"${s.url ? ' rel="noreferrer" target="_blank"' : ""}
  title="${esc(`${s.title || s.id} — ${sourceMeta(s)}`)}">${esc(shorten(s.title) || s.id)}</a>${s.kind ? `<span class="kind ${esc(s.kind)}">${vocab("source-kind", s.kind)}</span>` : ""}${s.url ? ` <a class="srcpage" href="#/source/${encodeURIComponent(s.id)}" title="${esc(s.id)}">ⓘ</a>` : ""}</span>`).join(" ");
// a period with the basis of its years, in the words the API gives ("since 2010 (inferred from the programme)")
const periodText = (period) => (period ? (lang === "zh" ? period.label_zh : period.label_en) || `${period.start ?? "?"} – ${period.end ?? t("ongoing")}` : "");
const startText = (period) => (period?.start == null ? "" : `${period.start}${period.start_basis && period.start_basis !== "stated" ? "*" : ""}`);

class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail ? (typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail)) : `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: { "Accept-Language": lang, Accept: "application/json", ...(options.headers || {}) } });
  } catch {
    throw new ApiError(0, { detail: t("error_network") });
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  return response.json();
}

// an error in the chosen language: what went wrong by its status, then the API's own words (what and where)
function errorHtml(error) {
  const head = t(`error_${error.status}`) !== `error_${error.status}` ? t(`error_${error.status}`)
    : error.status === 0 ? t("error_network") : error.status >= 500 ? t("error_500") : t("error");
  const where = error.body?.parameter ? ` <code>${esc(error.body.parameter)}</code>` : "";
  return `<div class="error" role="alert" data-status="${esc(error.status ?? "")}"><strong>${esc(head)}</strong>${where}
    ${error.message && error.status !== 0 ? `<span class="sub">${esc(error.message)}</span>` : ""}${candidateList(error.body?.candidates)}</div>`;
}

function candidateList(candidates) {
  if (!candidates?.length) return "";
  return `<p>${esc(t("candidates"))}:</p><ul class="results candidates" data-testid="candidates">${candidates.map((c) => {
    const kind = c.kind || "actor";
    return `<li data-candidate="${esc(c.id)}">${link(c, kind)}<span class="sub">${esc(other(c))}${c.level ? ` · ${vocab("level", c.level)}` : ""}</span>
      ${kind === "actor" ? ` · <a href="#/pairings?recipient=${encodeURIComponent(c.id)}">${esc(t("its_pairings"))}</a>` : ""}</li>`;
  }).join("")}</ul>`;
}

function translateChrome() {
  document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
  document.title = `${t("title")} · pakg`;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll("[data-lang]").forEach((b) => b.classList.toggle("on", b.dataset.lang === lang));
  document.querySelector(".lang")?.setAttribute("aria-label", t("language"));
}

// ---- names: one resolver (GET /resolve) for a place, an organisation, a programme or an instrument -------
// 200: what the name is (id, kind, labels); 422: unknown or ambiguous, with the closest candidates
async function resolveName(name, kinds = []) {
  const query = new URLSearchParams({ name });
  for (const k of kinds) query.append("kind", k);
  try {
    return { found: await api(`/resolve?${query}`) };
  } catch (error) {
    if (error.status === 422) return { error };
    if (error.status !== 404) throw error;
  }
  // a server without /resolve: an exact label or id of an actor
  const page = await api(`/actors?label=${encodeURIComponent(name)}&limit=2`).catch(() => ({ items: [] }));
  if (page.items.length === 1) return { found: { ...page.items[0], kind: "actor" } };
  return { error: new ApiError(422, { detail: fill(t("unknown_name"), { name }), parameter: "name", candidates: [] }) };
}

// ---- the home page --------------------------------------------------------------------------------
async function homeView() {
  const [pairings, programmes, instruments, sourcesPage, coverage] = await Promise.all([
    api("/pairings?limit=1"), api("/programmes?limit=1"), api("/instruments?limit=1"), api("/sources?limit=1"), api("/coverage"),
  ]);
  const count = (key, n, text) => `<div class="count"><dd data-count="${esc(key)}">${esc(n)}</dd><dt>${esc(text)}</dt></div>`;
  const byConfidence = Object.entries(coverage.total.by_confidence || {}).filter(([k, n]) => n || k !== "none");
  const [supporter, recipient] = t("q_governance_names");
  const governance = new URLSearchParams({ supporter, recipient });
  const hotan = new URLSearchParams({ recipient: t("q_hotan_name"), year: "2012" });
  view.innerHTML = `<section class="home"><h1>${esc(t("home_title"))}</h1>
    <p class="intro" data-testid="intro">${esc(t("home_intro_1"))}${lang === "zh" ? "" : " "}${esc(t("home_intro_2"))}</p>
    <form class="search" role="search"><input name="q" placeholder="${esc(t("search_placeholder"))}" aria-label="${esc(t("search"))}">
      <button class="primary" type="submit">${esc(t("search"))}</button></form>
    <h2>${esc(t("home_counts"))}</h2><dl class="counts" data-testid="counts">
      ${count("pairings", pairings.total, t("pairings"))}${count("programmes", programmes.total, t("programmes"))}
      ${count("instruments", instruments.total, t("instruments"))}${count("sources", sourcesPage.total, t("sources"))}</dl>
    <h2>${esc(t("home_by_confidence"))}</h2><dl class="counts confidence" data-testid="by-confidence">
      ${byConfidence.map(([k, n]) => `<div class="count"><dd data-count="confidence-${esc(k)}">${esc(n)}</dd><dt>${k === "none" ? "—" : badge(k)}</dt></div>`).join("")}</dl>
    <h2>${esc(t("home_questions"))}</h2><ul class="questions" data-testid="questions">
      <li><a data-question="governance" href="#/governance?${governance}">${esc(t("q_governance"))}</a></li>
      <li><a data-question="hotan" href="#/pairings?${hotan}">${esc(t("q_hotan"))}</a></li>
      <li><a data-question="network" href="#/network?level=province">${esc(t("q_network"))}</a></li></ul></section>`;
  view.querySelector("form").addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = `#/search?q=${encodeURIComponent(view.querySelector("input").value.trim())}`;
  });
}

// ---- lists of pairings: filters by name, facets, downloads ------------------------------------------
const PAIRING_FILTERS = ["supporter", "recipient", "programme", "field", "mode", "year", "confidence", "min_confidence", "include_subunits", "q"];
const FACETS = ["programme", "field", "mode", "level", "confidence"];
const FACET_VOCAB = { field: "field", mode: "mode", level: "level", confidence: "confidence" };

// the pairings the filters name (a supporter or recipient by any name, resolved first), with facet counts
// when the service gives them; {error} when a name is unknown or ambiguous
async function filteredPairings(params, limit = 200) {
  const query = new URLSearchParams();
  const names = {};
  for (const key of PAIRING_FILTERS) for (const value of params.getAll(key)) if (value) query.append(key, value);
  for (const key of ["supporter", "recipient", "programme"]) {
    const value = query.get(key);
    if (!value) continue;
    const { found, error } = await resolveName(value, key === "programme" ? ["programme"] : ["actor"]);
    if (error) {
      error.body.parameter = key;
      return { error, query };
    }
    names[key] = found;
    query.set(key, found.id);
  }
  const listed = new URLSearchParams(query);
  listed.set("limit", String(limit));
  let page;
  try {
    page = await api(`/pairings?${listed}&facet=${FACETS.join(",")}`);
  } catch (error) {
    if (error.status !== 422 || error.body?.parameter !== "facet") {
      if (error.status === 422) return { error, query };
      throw error;
    }
    page = await api(`/pairings?${listed}`);
  }
  return { page, query, names };
}

// the facets the list's filters can apply (a click narrows the list); the others are counts only
const FILTERABLE = new Set(["programme", "field", "mode", "confidence", "supporter", "recipient"]);
const ARROW = "→";  // a pairing's level facet: the levels of its two ends, "province→county"

function facetText(name, v) {
  if (v.value == null) return esc(t("no_value"));
  const scheme = FACET_VOCAB[name];
  if (scheme && String(v.value).includes(ARROW)) return String(v.value).split(ARROW).map((part) => vocab(scheme, part)).join(` ${ARROW} `);
  return scheme ? vocab(scheme, v.value) : esc(label(v) || v.value);
}

function facetPanel(facets, params, route) {
  const entries = Object.entries(facets || {}).filter(([, values]) => values?.length);
  if (!entries.length) return "";
  return `<aside class="facets" data-testid="facets"><h2>${esc(t("facets"))}</h2>${entries.map(([name, values]) =>
    `<section data-facet="${esc(name)}"><h3>${esc(t(name))}</h3><ul>${values.map((v) => {
      const count = ` <span class="sub">${esc(v.count)}</span>`;
      if (!FILTERABLE.has(name) || v.value == null) return `<li><span class="facet" data-facet-value="${esc(v.value ?? "")}">${facetText(name, v)}</span>${count}</li>`;
      const next = new URLSearchParams(params);
      next.set(name, v.value);
      const on = params.get(name) === String(v.value);
      return `<li><a class="facet${on ? " on" : ""}" data-facet-value="${esc(v.value)}" href="#/${route}?${next}">${facetText(name, v)}</a>${count}</li>`;
    }).join("")}</ul></section>`).join("")}</aside>`;
}

function filterChips(params, names, route) {
  const chips = [...params.entries()].filter(([k, v]) => v && k !== "facet").map(([k, v]) => {
    const next = new URLSearchParams(params);
    next.delete(k);
    const shown = names[k] ? label(names[k]) : FACET_VOCAB[k] ? vl(FACET_VOCAB[k], v) : v;
    return `<span class="chip" data-filter="${esc(k)}">${esc(t(k))}: ${esc(shown)} <a href="#/${route}?${next}" title="${esc(t("remove_filter"))}" aria-label="${esc(t("remove_filter"))}">×</a></span>`;
  });
  return chips.length ? `<p class="chips">${chips.join(" ")}</p>` : "";
}

// links to the same list as CSV and JSON (the service's ?format=)
function downloads(path, query) {
  const q = new URLSearchParams(query);
  q.delete("limit");
  const at = (format) => { const f = new URLSearchParams(q); f.set("format", format); return `${path}?${f}`; };
  return `<span class="downloads" data-testid="downloads">${esc(t("download_list"))}: <a data-format="csv" href="${esc(at("csv"))}" download>CSV</a>
    · <a data-format="json" href="${esc(at("json"))}" download>JSON</a></span>`;
}

// what a name was taken to be, with the units below it, and the other things the same name could mean
function resolvedNote(names) {
  return Object.values(names).map((n) => `<p class="sub resolved" data-resolved="${esc(n.id)}">${esc(fill(t("resolved_as"), { name: n.name || label(n) }))}
    ${link(n, n.kind || kindOf(n.iri))}${n.units_below ? ` (${esc(fill(t("units_below"), { n: n.units_below }))})` : ""}${n.others?.length
    ? ` · <span data-testid="others">${esc(t("also"))}: ${n.others.map((o) => link(o, o.kind || "actor")).join(", ")}</span>` : ""}</p>`).join("");
}

async function pairingsView(params) {
  const { page, query, names, error } = await filteredPairings(params);
  if (error) {
    view.innerHTML = `<h1>${esc(t("list_of"))}</h1>${filterChips(params, {}, "pairings")}${errorHtml(error)}`;
    return;
  }
  view.innerHTML = `<h1>${esc(t("list_of"))}</h1>${filterChips(params, names, "pairings")}${resolvedNote(names)}
    <p><span data-testid="total">${esc(fill(t("results_total"), { n: page.total }))}</span> · ${downloads("/pairings", query)}
      · <a href="#/governance?${query}">${esc(t("governance_of_list"))}</a></p>
    <div class="withfacets">${facetPanel(page.facets, params, "pairings")}<div class="list">${pairingList(page.items, true)}</div></div>`;
}

// ---- search: any name through the resolver, and words in labels ----------------------------------
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
  const [resolved, actors, instruments, programmes, byText] = await Promise.all([
    resolveName(q), api(`/actors?q=${enc}&limit=50`), api(`/instruments?q=${enc}&limit=50`),
    api(`/programmes?q=${enc}&limit=50`), api(`/pairings?q=${enc}&limit=100`),
  ]);
  // a name (克州, Kizilsu, Hotan Prefecture): its pairings as recipient or supporter, units below included
  const named = resolved.found && (resolved.found.kind || "actor") === "actor" ? resolved.found : null;
  const [asRecipient, asSupporter] = named
    ? await Promise.all([filteredPairings(new URLSearchParams({ recipient: named.id }), 500),
      filteredPairings(new URLSearchParams({ supporter: named.id }), 500)])
    : [null, null];
  const pairings = new Map();
  for (const page of [asRecipient?.page, asSupporter?.page, byText]) for (const p of page?.items || []) pairings.set(p.id, p);
  const group = (key, items, render, extra = "") => `<section class="group" data-kind="${key}"><h2>${esc(t(key))} (${items.length})</h2>${extra}
    <ul class="results">${items.map((i) => `<li>${render(i)}</li>`).join("") || `<li>${esc(t("none"))}</li>`}</ul></section>`;
  // each list found by the words, as CSV or JSON
  const textLinks = (path, page) => (page.items.length ? `<p class="sub">${downloads(path, new URLSearchParams({ q }))}</p>` : "");
  // the named actor's pairings as a list of their own: downloads and facets
  const side = asRecipient?.page?.total ? ["recipient", asRecipient] : asSupporter?.page?.total ? ["supporter", asSupporter] : null;
  const listLinks = side ? `<p class="sub">${downloads("/pairings", side[1].query)} · <a href="#/pairings?${side[1].query}">${esc(t("list_of"))}</a>
    · <a href="#/governance?${side[1].query}">${esc(t("governance_of_list"))}</a></p>${facetPanel(side[1].page.facets, side[1].query, "pairings")}` : "";
  results.innerHTML = (named ? resolvedNote({ name: { ...named, name: q } }) : "") +
    (resolved.error && !pairings.size && !actors.items.length ? errorHtml(resolved.error) :
      resolved.error?.body?.candidates?.length ? `<div class="sub">${esc(fill(t("ambiguous_name"), { name: q }))}${candidateList(resolved.error.body.candidates)}</div>` : "") +
    group("actors", actors.items, (a) => `${link(a, "actor")}<span class="sub">${esc(other(a))} · ${a.level ? vocab("level", a.level) : vocabList("actor-kind", a.types)}</span>`,
      textLinks("/actors", actors)) +
    group("pairings", [...pairings.values()], (p) => pairingLine(p, true), listLinks) +
    group("instruments", instruments.items, (i) => `${link(i, "instrument")}<span class="sub">${vocab("instrument-kind", i.kind)} · ${vocab("instrument-type", i.type)}</span>`,
      textLinks("/instruments", instruments)) +
    group("programmes", programmes.items, (p) => `${link(p, "programme")}<span class="sub">${esc(periodText(p.period))}</span>`,
      textLinks("/programmes", programmes));
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

// why an instrument applies: the reasons the API gives (one sentence per route), else its route code
// (in the narrow chain the reason folds under "why?"; in the governance table it is shown)
function routesHtml(i, compact = false) {
  if (i.routes?.length) {
    const reason = (lang === "zh" ? i.reason_zh : i.reason_en) || "";
    const routes = `<ul class="routes">${i.routes.map((r) => {
      const via = (lang === "zh" ? r.via_label_zh : r.via_label_en) || t("via")[r.via] || r.via;
      return `<li class="route" data-via="${esc(r.via)}"><span class="via">${esc(via)}${r.through ? `: ${link(r.through)}` : ""}${r.governed ? ` → ${link(r.governed)}` : ""}</span></li>`;
    }).join("")}</ul>`;
    if (!reason) return routes;
    return routes + (compact ? `<details class="why"><summary>${esc(t("why"))}</summary><span class="reason">${esc(reason)}</span></details>`
      : `<span class="reason">${esc(reason)}</span>`);
  }
  const path = i.path?.length > 1 ? `: ${i.path.slice(1).map(label).map(esc).join(" → ")}` : "";
  return `<span class="via" data-via="${esc(i.via)}">${esc(t("via")[i.via] || i.via)}${path}</span>`;
}

function asOfForm(current, hidden = {}) {
  return `<form class="filters asof" data-testid="as-of"><label>${esc(t("as_of"))}<input name="as_of" type="number" min="1949" max="2100"
    value="${esc(current || "")}" title="${esc(t("as_of_hint"))}"></label>${Object.entries(hidden).map(([k, v]) =>
    `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join("")}<button class="primary" type="submit">${esc(t("apply"))}</button>
    <span class="sub">${esc(t("as_of_hint"))}</span></form>`;
}

function onAsOf(route) {
  view.querySelector("form.asof")?.addEventListener("submit", (e) => {
    e.preventDefault();
    const form = new URLSearchParams(new FormData(e.target));
    for (const [k, v] of [...form.entries()]) if (!v) form.delete(k);
    location.hash = `#/${route}?${form}`;
  });
}

async function pairingView(id, params) {
  const asOf = params.get("as_of") || "";
  const instrumentQuery = asOf ? `?as_of=${encodeURIComponent(asOf)}` : "";
  const [p, instruments] = await Promise.all([api(`/pairings/${encodeURIComponent(id)}`),
    api(`/pairings/${encodeURIComponent(id)}/instruments${instrumentQuery}`)]);
  const period = periodText(p.period);
  const item = (i) => `<div class="item" data-instrument="${esc(i.id)}">${link(i, "instrument")} ${badge(i.confidence)}
    ${routesHtml(i, true)}<span class="src">${esc(t("sources"))}: ${sources(i.sources)}</span></div>`;
  const hard = instruments.items.filter((i) => i.kind === "hard-law");
  const soft = instruments.items.filter((i) => i.kind === "soft-law");
  const programmes = p.programme ? [p.programme] : [];
  const step = (key, body) => `<div class="step" data-step="${key}"><h3>${esc(t(key))}</h3>${body || "—"}</div>`;
  const arrow = `<div class="arrow">→</div>`;
  // Teams and People only when the pairing has some
  const chain = [
    step("hard_law", hard.map(item).join("")),
    step("soft_law", soft.map(item).join("")),
    step("programme", programmes.map((x) => `<div class="item">${link(x, "programme")}</div>`).join("")),
    step("pairing", `<div class="item"><strong>${esc(label(p.supporter))} → ${esc(label(p.recipient))}</strong> ${badge(p.confidence)}
      <span class="src">${esc(t("sources"))}: ${sources(p.sources)}</span></div>` +
      p.sub_pairings.map((s) => `<div class="item">↳ <a href="#/pairing/${encodeURIComponent(s.id)}">${esc(label(s.supporter))} → ${esc(label(s.recipient))}</a></div>`).join("")),
    ...(p.teams?.length ? [step("teams", p.teams.map((x) => `<div class="item">${link(x, "actor")}</div>`).join(""))] : []),
    ...(p.people?.length ? [step("people", p.people.map((x) => `<div class="item">${link(x, "actor")}</div>`).join(""))] : []),
  ].join(arrow);
  const detail = lang === "zh" ? p.supporter_detail_zh ?? p.supporter_detail : p.supporter_detail_en ?? p.supporter_detail;
  const inactive = instruments.active === false
    ? `<p class="note" data-testid="not-active">${esc((lang === "zh" ? instruments.note_zh : instruments.note_en) || t("not_active"))}</p>` : "";
  const leftOut = asOf && instruments.left_out ? Object.values(instruments.left_out).filter((n) => typeof n === "number").reduce((a, b) => a + b, 0) : 0;
  view.innerHTML = `<h1>${link(p.supporter, "actor")} → ${link(p.recipient, "actor")}</h1>
    <p class="sub">${esc(label(p))}</p>` +
    facts([["supporter", link(p.supporter, "actor") + (detail ? ` <span class="sub" data-testid="supporter-detail">${esc(detail)}</span>` : "")],
      ["recipient", link(p.recipient, "actor")], ["fields", vocabList("field", p.fields)], ["mode", vocab("mode", p.mode)],
      ["period", esc(period)], ["programme", link(p.programme, "programme")],
      ["parent", p.parent ? `<a href="#/pairing/${encodeURIComponent(p.parent.id)}">${esc(label(p.parent))}</a>` : "—"],
      ["confidence", badge(p.confidence)], ["sources", sources(p.sources)], ...noteRow(p)]) +
    `<h2>${esc(t("chain"))}</h2>${asOfForm(asOf)}${inactive}${leftOut ? `<p class="sub">${esc(fill(t("left_out_instruments"), { n: leftOut }))}</p>` : ""}
    <div class="chain" id="chain">${chain}</div>` +
    (p.evidence.length ? `<h2>${esc(t("evidence"))}</h2><ul class="results">${p.evidence.map((e) =>
      `<li><strong>${esc(e.code)}</strong> ${e.speaker ? link(e.speaker, "actor") : ""}: ${esc(lang === "zh" ? e.quote_zh : e.summary_en)}</li>`).join("")}</ul>` : "") +
    `<p><a href="/id/pairing/${encodeURIComponent(p.id)}?format=turtle">${esc(t("open_rdf"))}</a></p>`;
  onAsOf(`pairing/${encodeURIComponent(id)}`);
}

// ---- the instruments that govern a list of pairings (one entry per instrument, every route) ----------
async function governanceItems(ids, asOf) {
  const query = new URLSearchParams({ ids: ids.join(",") });
  if (asOf) query.set("as_of", asOf);
  try {
    return (await api(`/pairings/instruments?${query}`)).items;
  } catch (error) {
    if (![404, 405].includes(error.status)) throw error;
  }
  // a service without the bulk form: one request per pairing
  const single = asOf ? `?as_of=${encodeURIComponent(asOf)}` : "";
  return Promise.all(ids.map((id) => api(`/pairings/${encodeURIComponent(id)}/instruments${single}`)));
}

async function governanceView(params) {
  const asOf = params.get("as_of") || "";
  const filters = new URLSearchParams(params);
  filters.delete("as_of");
  const { page, query, names, error } = await filteredPairings(filters, 200);
  const head = `<h1>${esc(t("governance"))}</h1>${filterChips(params, names || {}, "governance")}`;
  if (error) {
    view.innerHTML = head + errorHtml(error);
    return;
  }
  const answers = page.items.length ? await governanceItems(page.items.map((p) => p.id), asOf) : [];
  const byInstrument = new Map();
  for (const answer of answers) {
    for (const i of answer.items || []) {
      if (!byInstrument.has(i.id)) byInstrument.set(i.id, { instrument: i, uses: [] });
      byInstrument.get(i.id).uses.push({ pairing: answer.pairing, item: i });
    }
  }
  const inactive = answers.filter((a) => a.active === false).map((a) => a.pairing);
  const rows = [...byInstrument.values()].sort((a, b) => (a.instrument.kind || "").localeCompare(b.instrument.kind || "") ||
    String(a.instrument.date || "").localeCompare(String(b.instrument.date || "")));
  view.innerHTML = head + resolvedNote(names) + asOfForm(asOf, Object.fromEntries(filters)) +
    `<p><span data-testid="total">${esc(byInstrument.size)} ${esc(t("instruments_n"))}</span> · ${esc(page.items.length)} ${esc(t("pairings_n"))}
      · <a href="#/pairings?${query}">${esc(t("list_of"))}</a></p>` +
    (inactive.length ? `<p class="note" data-testid="not-active">${esc(t("not_active"))}: ${inactive.map((p) => `<a href="#/pairing/${encodeURIComponent(p.id)}">${esc(label(p))}</a>`).join("; ")}</p>` : "") +
    `<table class="facts governance" data-testid="governance"><tr><th>${esc(t("instruments"))}</th><th>${esc(t("applies_to"))}</th><th>${esc(t("why"))}</th></tr>` +
    rows.map(({ instrument: i, uses }) => `<tr data-instrument="${esc(i.id)}"><td>${link(i, "instrument")}<span class="sub">${vocab("instrument-kind", i.kind)} · ${vocab("instrument-type", i.type)}${i.date ? ` · ${esc(i.date)}` : ""}${i.doc_number ? ` · ${esc(i.doc_number)}` : ""}</span></td>
      <td>${uses.map((u) => `<a href="#/pairing/${encodeURIComponent(u.pairing.id)}">${esc(u.pairing.id)}</a>`).join(", ")}</td>
      <td>${routesHtml(uses[0].item)}</td></tr>`).join("") + "</table>";
  onAsOf("governance");
}

// ---- actors, instruments, programmes, sources ---------------------------------------------------
const pairingLine = (p, details = false) => `<a href="#/pairing/${encodeURIComponent(p.id)}">${esc(label(p.supporter))} → ${esc(label(p.recipient))}</a>
  <span class="sub">${esc(label(p.programme))}${details ? ` · ${vocabList("field", p.fields)}` : ""} · <span title="${esc(periodText(p.period))}">${esc(startText(p.period))}</span></span>${badge(p.confidence)}`;
const pairingList = (items, details = false) => `<ul class="results">${items.map((p) => `<li>${pairingLine(p, details)}</li>`).join("") || `<li>${esc(t("none"))}</li>`}</ul>`;

async function actorView(id) {
  const a = await api(`/actors/${encodeURIComponent(id)}`);
  const below = a.supported_below ? await api(`/pairings?recipient=${encodeURIComponent(id)}&limit=500`) : { items: [] };
  const refs = (list) => list.map((x) => link(x, kindOf(x.iri))).join(", ") || "—";
  view.innerHTML = `<h1>${esc(label(a))} <span class="sub">${esc(other(a))}</span></h1>` +
    facts([["level", vocab("level", a.level)], ["parent_unit", link(a.parent, "actor")], ["units", refs(a.sub_organisations)],
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
  const issuer = i.issuers?.length ? refs(i.issuers) : i.issuer ? link(i.issuer, "actor") : i.issued_by?.length ? refs(i.issued_by)
    : esc(i.issuer_text || "—");
  const summary = (lang === "zh" ? i.summary_zh || i.summary_en : i.summary_en || i.summary_zh) || "";
  const missing = (i.missing || []).map((m) => t("missing_fields")[m] || m);
  view.innerHTML = `<h1>${esc(label(i))} <span class="sub">${esc(other(i))}</span></h1>` +
    facts([...(i.part_of ? [["part_of", `<span data-testid="part-of">${link(i.part_of, kindOf(i.part_of.iri))}${i.article ? ` · ${esc(i.article)}` : ""}</span>`]] : []),
      ["kind", vocab("instrument-kind", i.kind) || "—"], ["type", vocab("instrument-type", i.type) || "—"],
      ...(i.doc_number ? [["doc_number", `<span data-testid="doc-number">${esc(i.doc_number)}</span>`]] : []),
      ["issued_by", issuer],
      ["date", `<span title="${esc(i.date_note || "")}">${esc(i.date || "—")}</span>${lang === "en" && i.date_note ? ` · ${esc(i.date_note)}` : ""}`],
      ...(inForce ? [["in_force", `<span data-testid="in-force">${esc(inForce)}</span>`]] : []),
      ["governs", refs(i.governs)], ["authorizes", refs(i.authorizes)], ["provisions", refs(i.provisions)],
      ["confidence", badge(i.confidence)], ["sources", sources(i.sources)], ...noteRow(i)]) +
    (i.relations?.length ? `<h2>${esc(t("relations"))}</h2><div class="relations" data-testid="relations">${facts(relationRows(i.relations))}</div>` : "") +
    (summary ? `<h2>${esc(t("summary"))}</h2><p data-testid="summary">${esc(summary)}</p>` : "") +
    (missing.length ? `<p class="sub" data-testid="missing">${esc(t("missing"))}: ${esc(missing.join(lang === "zh" ? "、" : ", "))}</p>` : "");
}

async function programmeView(id) {
  const p = await api(`/programmes/${encodeURIComponent(id)}`);
  const refs = (list) => (list || []).map((x) => link(x, kindOf(x.iri))).join(", ") || "—";
  view.innerHTML = `<h1>${esc(label(p))} <span class="sub">${esc(other(p))}</span></h1>` +
    facts([["period", esc(periodText(p.period))], ["mode", vocabList("mode", p.mode)],
      ...(p.replaced_by?.length ? [["replaced_by", `<span data-testid="replaced-by">${refs(p.replaced_by)}</span>`]] : []),
      ...(p.replaces?.length ? [["replaces", `<span data-testid="replaces">${refs(p.replaces)}</span>`]] : []),
      ["governs", refs(p.governed_by)], ["authorizes", refs(p.authorised_by)], ["sources", sources(p.sources)],
      ...noteRow(p), ...relationRows(p.relations)]) +
    `<h2>${esc(t("pairings"))} (${p.pairings.length})</h2><p class="sub">${downloads("/pairings", new URLSearchParams({ programme: p.id }))}</p>${pairingList(p.pairings)}`;
}

async function sourceView(id) {
  const s = await api(`/sources/${encodeURIComponent(id)}`);
  const row = (key, value) => `<tr><th>${esc(ct(key))}</th><td>${value}</td></tr>`;
  view.innerHTML = `<h1>${esc(s.title)}</h1><table class="facts">` +
    row("address", s.url ? `<a href="${esc(s.url)}" rel="noreferrer" target="_blank">${esc(s.url)}</a>` : esc(s.citation || "—")) +
    row("source_kind", s.kind ? `<span class="kind ${esc(s.kind)}">${vocab("source-kind", s.kind)}</span>` : "—") +
    row("publisher", esc(s.publisher || "—")) + row("date", esc(s.date || "—")) +
    (s.original_outlet ? row("original_outlet", esc(s.original_outlet)) : "") +
    (s.note ? row("note", esc(s.note)) : "") + row("id", `<code>${esc(s.id)}</code>`) + "</table>" +
    `<h2>${esc(ct("backs"))} (${s.backs.length})</h2>` +
    `<ul class="results">${s.backs.map((b) => `<li>${link(b, b.kind)} <span class="sub">${esc(ct(b.kind))}</span></li>`).join("")}</ul>`;
}

// ---- which source gives which fact, and the coverage of each programme ---------------------------------
const COV_I18N = {
  zh: { coverage: "覆盖范围与已知缺口", coverage_intro: "每项工程：图谱中已有的内容，与来源所述该工程的规模并列；以及已知的缺口。",
    holds: "图谱所含", said: "来源所述", gaps: "已知缺口", other_gaps: "其他已知缺口", total: "全部结对", without_programme: "不属于任何工程的结对",
    pairings_n: "结对", supporters_n: "支援方", recipients_n: "受援方", by_confidence: "按可信度", resting_only_on: "仅依据一类来源",
    start_basis: "起始年份依据", end_basis: "结束年份依据", stated_supporters: "所述支援方数", stated_recipients: "所述受援方数",
    recipient_units: "受援单位", attributions: "各项事实的来源", property: "属性", value: "值", address: "地址", source_kind: "来源类型",
    publisher: "发布者", original_outlet: "原始出处", id: "编号", backs: "依据此来源的资源",
    actor: "行动者", instrument: "规范性文件", source: "来源", gap: "缺口", coverage_statement: "覆盖说明", none: "无" },
  en: { coverage: "Coverage and known gaps", coverage_intro: "For each programme: what the graph holds, beside what its sources say the programme holds, and the known gaps.",
    holds: "In the graph", said: "Sources say", gaps: "Known gaps", other_gaps: "Other known gaps", total: "All pairings", without_programme: "Pairings under no programme",
    pairings_n: "pairings", supporters_n: "supporters", recipients_n: "recipients", by_confidence: "By confidence", resting_only_on: "Resting only on one kind of source",
    start_basis: "Basis of the start year", end_basis: "Basis of the end year", stated_supporters: "supporters stated", stated_recipients: "recipients stated",
    recipient_units: "Recipient units", attributions: "Which source gives which fact", property: "Property", value: "Value", address: "Address", source_kind: "Kind of source",
    publisher: "Publisher", original_outlet: "Original outlet", id: "Id", backs: "Resources resting on it",
    actor: "actor", instrument: "instrument", source: "source", gap: "gap", coverage_statement: "coverage statement", none: "none" },
};
const ct = (key) => COV_I18N[lang][key] ?? t(key);

function attributionTable(list) {
  if (!list || !list.length) return "";
  return `<h2>${esc(ct("attributions"))}</h2><table class="facts attributions"><tr><th>${esc(ct("property"))}</th><th>${esc(ct("value"))}</th><th>${esc(t("sources"))}</th></tr>` +
    list.map((f) => `<tr><td>${esc(f.name)}</td><td>${f.resource ? link(f.resource, kindOf(f.resource.iri)) : esc(f.value)}${f.language ? ` <span class="sub">@${esc(f.language)}</span>` : ""}</td>
      <td>${sources(f.sources)}</td></tr>`).join("") + "</table>";
}

// counts by a vocabulary's values (confidence, source kind, year basis); "none" is the interface's word
const counts = (record, name) => Object.entries(record || {}).filter(([, n]) => n)
  .map(([k, n]) => `${k === "none" ? esc(ct("none")) : vocab(name, k)} ${n}`).join(" · ") || "—";

function holdsTable(h) {
  const row = (key, value) => `<tr><th>${esc(ct(key))}</th><td>${value}</td></tr>`;
  return `<table class="facts holds">` +
    row("holds", `${h.pairings} ${esc(ct("pairings_n"))} · ${h.supporters} ${esc(ct("supporters_n"))} · ${h.recipients} ${esc(ct("recipients_n"))}`) +
    row("by_confidence", counts(h.by_confidence, "confidence")) + row("resting_only_on", counts(h.resting_only_on, "source-kind")) +
    row("start_basis", counts(h.start_basis, "year-basis")) + row("end_basis", counts(h.end_basis, "year-basis")) + "</table>";
}

const gapList = (gaps) => `<ul class="results gaps">${gaps.map((g) => `<li>${esc(label(g))}
  ${g.about.length ? `<span class="sub">${g.about.map((a) => link(a, kindOf(a.iri))).join(", ")}</span>` : ""} ${sources(g.sources)}</li>`).join("") || `<li>${esc(t("none"))}</li>`}</ul>`;

async function coverageView() {
  const c = await api("/coverage");
  const statement = (s) => `<li>${esc((lang === "zh" ? s.statement_zh : s.statement_en) || s.statement_en || s.statement_zh)}
    <span class="sub">${s.stated_supporters != null ? `${s.stated_supporters} ${esc(ct("stated_supporters"))}` : ""}${s.stated_supporters != null && s.stated_recipients != null ? " · " : ""}${s.stated_recipients != null ? `${s.stated_recipients} ${esc(ct("stated_recipients"))}` : ""}
    ${s.recipient_units_en && lang === "en" ? ` · ${esc(s.recipient_units_en)}` : ""}</span>${badge(s.confidence)} ${sources(s.sources)}</li>`;
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
// the network view's own words: its fact filters, what was left out
const NET_I18N = {
  zh: { min_confidence: "最低可信度", any: "全部", at_least: "≥ ", leave_out_fiction: "排除网络小说与论坛来源",
    stated_years_only: "仅用来源明载的年份", not_stated: "非来源明载", continued: "延续",
    legend_none: "未注明",
    left_out: "已排除的结对", below_confidence: "低于最低可信度", only_excluded_sources: "仅有被排除类型的来源",
    years_not_stated: "年份非来源明载", nothing_left_out: "未排除任何结对", edge_pairings: "结对",
    years_left_out: "个结对的年份非来源明载，未用于时间",
    stated: "来源明载", inferred: "推断" },
  en: { min_confidence: "Minimum confidence", any: "any", at_least: "≥ ", leave_out_fiction: "Leave out fiction/forum sources",
    stated_years_only: "Stated years only", not_stated: "not stated", continued: "continued",
    legend_none: "not given",
    left_out: "Pairings left out", below_confidence: "below the minimum confidence",
    only_excluded_sources: "resting only on sources left out", years_not_stated: "years not stated by a source",
    nothing_left_out: "No pairing left out", edge_pairings: "Pairings", stated: "stated", inferred: "inferred",
    years_left_out: "pairings with a year not stated, left out of their time" },
};
const nt = (key) => NET_I18N[lang][key] ?? t(key);
const EDGE_STYLE = { high: { color: "#8d99a8", dash: "" }, medium: { color: "#b26a00", dash: "6 4" },
  low: { color: "#b3261e", dash: "1 4" }, "": { color: "#c9ced6", dash: "" } };
const NODE_COLOUR = { supporter: "#4c72b0", recipient: "#bbbbbb" };
const MEASURES = ["degree", "pagerank", "betweenness"];

// the legend: what a node's colour and size say, and what an edge's style says (SVG presentation
// attributes, no style attribute: the page's CSP holds)
function networkLegend(measure) {
  const dot = (colour, r) => `<svg width="${2 * r + 4}" height="${2 * r + 4}" aria-hidden="true"><circle cx="${r + 2}" cy="${r + 2}" r="${r}" fill="${colour}"/></svg>`;
  const row = (level, text) => `<span class="legend-item" data-edge="${esc(level || "none")}"><svg width="36" height="10" aria-hidden="true"><line x1="2" y1="5" x2="34" y2="5"
    stroke="${EDGE_STYLE[level].color}" stroke-width="3"${EDGE_STYLE[level].dash ? ` stroke-dasharray="${EDGE_STYLE[level].dash}"` : ""}
    stroke-linecap="round"/></svg> ${text}</span>`;
  return `<div class="legend sub" id="netlegend" data-testid="netlegend">
    <p><strong>${esc(t("legend_nodes"))}</strong>: <span class="legend-item" data-node="supporter">${dot(NODE_COLOUR.supporter, 6)} ${esc(t("legend_supporter"))}</span>
      · <span class="legend-item" data-node="recipient">${dot(NODE_COLOUR.recipient, 6)} ${esc(t("legend_recipient"))}</span>
      · <span class="legend-item" data-node="size">${dot("#8d99a8", 3)}${dot("#8d99a8", 7)} ${esc(fill(t("legend_size"), { measure: t("measure")[measure] || measure }))}</span></p>
    <p><strong>${esc(t("legend_edges"))}</strong>: ` +
    [row("high", vocab("confidence", "high")), row("medium", `${vocab("confidence", "medium")} (- -)`), row("low", `${vocab("confidence", "low")} (···)`),
      row("", esc(nt("legend_none")))].join(" · ") + "</p></div>";
}

function leftOutText(graph) {  // the network's graph data: what the fact filters left out
  const parts = Object.entries(graph?.left_out || {}).filter(([, n]) => n).map(([k, n]) => `${n} ${nt(k)}`);
  const years = graph?.stated_years_only ? ` · ${graph.years_left_out || 0} ${nt("years_left_out")}` : "";
  return (parts.length ? `${nt("left_out")}: ${parts.join(", ")}` : nt("nothing_left_out")) + years;
}

// a seeded layout: the same picture on every load.  Each node starts where a hash of its id puts it, and the
// force layout runs with a pseudo-random generator seeded by the graph (Cytoscape's own Math.random calls
// included), so the positions depend only on the nodes and edges (not on the language of the labels).
function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), a | 1);
    r ^= r + Math.imul(r ^ (r >>> 7), r | 61);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
function stableLayout(graph) {
  const nodes = graph.nodes().sort((a, b) => (a.id() < b.id() ? -1 : 1));
  const radius = 40 * Math.sqrt(nodes.length + 1);
  nodes.forEach((n) => {
    const h = hash(n.id());
    const angle = ((h & 0xffff) / 0xffff) * 2 * Math.PI;
    const r = radius * Math.sqrt(((h >>> 16) & 0xffff) / 0xffff);
    n.position({ x: r * Math.cos(angle), y: r * Math.sin(angle) });
  });
  const random = Math.random;
  Math.random = seeded(hash(nodes.map((n) => n.id()).join("|")));
  try {
    graph.layout({ name: "cose", animate: false, randomize: false, fit: true, padding: 30, nodeRepulsion: () => 12000,
      idealEdgeLength: () => 90, numIter: 1500, nodeDimensionsIncludeLabels: false }).run();
  } finally {
    Math.random = random;
  }
}

async function networkView(params) {
  const [programmes, analyses] = await Promise.all([api("/programmes?limit=100"), api("/analysis")]);
  const value = (k, d = "") => params.get(k) ?? d;
  const option = (v, text, current) => `<option value="${esc(v)}"${v === current ? " selected" : ""}>${esc(text)}</option>`;
  // the levels the network API offers; "as-paired" (no aggregation) is the interface's word, the rest the graph's
  const levels = analyses.levels || ["province", "prefecture", "county", "institution"];
  const levelText = (l) => (vocabValues("level").includes(l) ? vl("level", l) : t("levels")[l] || l);
  const measure = MEASURES.includes(value("measure")) ? value("measure") : "degree";
  view.innerHTML = `<form class="filters" id="netfilters">
    <label>${esc(t("programme"))}<select name="programme">${option("", t("all"), value("programme"))}${programmes.items.map((p) => option(p.id, label(p), value("programme"))).join("")}</select></label>
    <label>${esc(t("field"))}<select name="field">${option("", t("all"), value("field"))}${vocabValues("field").map((f) => option(f, vl("field", f), value("field"))).join("")}</select></label>
    <label>${esc(t("mode"))}<select name="mode">${option("", t("all"), value("mode"))}${vocabValues("mode").map((m) => option(m, vl("mode", m), value("mode"))).join("")}</select></label>
    <label>${esc(t("year"))}<input name="year" type="number" min="1949" max="2100" value="${esc(value("year"))}"></label>
    <label>${esc(t("level"))}<select name="level">${levels.map((l) => option(l, levelText(l), value("level", "province"))).join("")}</select></label>
    <label>${esc(t("supporter_level"))}<select name="supporter_level">${option("", t("as_defined"), value("supporter_level"))}${levels.map((l) => option(l, levelText(l), value("supporter_level"))).join("")}</select></label>
    <label>${esc(t("recipient_level"))}<select name="recipient_level">${option("", t("as_defined"), value("recipient_level"))}${levels.map((l) => option(l, levelText(l), value("recipient_level"))).join("")}</select></label>
    <label>${esc(t("size_by"))}<select name="measure">${MEASURES.map((m) => option(m, t("measure")[m], measure)).join("")}</select></label>
    <label>${esc(nt("min_confidence"))}<select name="min_confidence">${option("", nt("any"), value("min_confidence"))}${["medium", "high"].map((c) => option(c, nt("at_least") + vl("confidence", c), value("min_confidence"))).join("")}</select></label>
    <label class="check"><input type="checkbox" name="exclude_source_kind" value="fiction-forum"${params.getAll("exclude_source_kind").includes("fiction-forum") ? " checked" : ""}> ${esc(nt("leave_out_fiction"))}</label>
    <label class="check"><input type="checkbox" name="stated_years_only" value="true"${value("stated_years_only") === "true" ? " checked" : ""}> ${esc(nt("stated_years_only"))}</label>
    <button class="primary" type="submit">${esc(t("filter"))}</button></form>
    <p><span id="netcount" data-testid="netcount"></span> · <span id="netleftout" data-testid="netleftout"></span> · ${esc(t("download"))}:
      <a id="dl-graphml">GraphML</a> · <a id="dl-gexf">GEXF</a> · <a id="dl-csv">CSV</a> · <a id="dl-json">JSON</a> · <a id="dl-png" href="#">PNG</a></p>
    ${networkLegend(measure)}
    <div class="netlayout"><div id="cy"></div><div class="side" id="nodeinfo">${esc(t("click_node"))}</div></div>`;
  view.querySelector("#netfilters").addEventListener("submit", (e) => {
    e.preventDefault();
    const form = new URLSearchParams(new FormData(e.target));
    for (const [k, v] of [...form.entries()]) if (!v) form.delete(k);
    location.hash = `#/network?${form}`;
  });
  const query = new URLSearchParams({ level: value("level", "province") });
  for (const k of ["programme", "field", "mode", "year", "min_confidence", "stated_years_only", "supporter_level", "recipient_level"]) if (value(k)) query.set(k, value(k));
  for (const kind of params.getAll("exclude_source_kind")) query.append("exclude_source_kind", kind);
  const [data, scores] = await Promise.all([api(`/network?format=cytoscape&${query}`), api(`/analysis/${measure}?${query}`)]);
  for (const [id, format] of [["graphml", "graphml"], ["gexf", "gexf"], ["csv", "csv"], ["json", "node-link"]]) {
    view.querySelector(`#dl-${id}`).href = `/network?format=${format}&${query}`;
  }
  view.querySelector("#netleftout").textContent = leftOutText(data.data);
  const score = new Map(scores.rows.map((r) => [r.node.iri, measure === "degree" ? r.in_strength + r.out_strength : r[measure]]));
  const max = Math.max(1e-9, ...score.values());
  // a node's "parent" (the unit it belongs to) is data here, not a Cytoscape compound parent
  const nodes = data.elements.nodes.map(({ data: { parent, ...n } }) => ({ data: { ...n, parent_unit: parent ?? null, size: 14 + 40 * Math.sqrt((score.get(n.iri) || 0) / max),
    name: (lang === "zh" ? n.label_zh : n.label_en) || n.label_en || n.label_zh || n.id } }));
  const edges = data.elements.edges.map((e) => ({ data: { ...e.data, width: 1 + Math.min(6, e.data.pairings || 1) } }));
  view.querySelector("#netcount").textContent = `${nodes.length} ${t("nodes")}, ${edges.length} ${t("edges")}`;
  if (cy) cy.destroy();
  // labels that do not pile up: a white background behind each, hidden when zoomed out too far to read, and
  // for small nodes shown only on hover or selection
  const small = nodes.length > 40 ? 22 : 0;
  cy = cytoscape({
    container: view.querySelector("#cy"), elements: { nodes, edges }, layout: { name: "preset" },
    style: [
      { selector: "node", style: { width: "data(size)", height: "data(size)", label: "data(name)", "font-size": 10,
        "background-color": NODE_COLOUR.supporter, color: "#1d2733", "text-valign": "bottom", "text-margin-y": 2,
        "text-background-color": "#ffffff", "text-background-opacity": 0.85, "text-background-padding": 1,
        "text-background-shape": "roundrectangle", "min-zoomed-font-size": 7, "text-wrap": "ellipsis", "text-max-width": "120px" } },
      { selector: "node[[outdegree = 0]]", style: { "background-color": NODE_COLOUR.recipient } },
      ...(small ? [{ selector: `node[size < ${small}]`, style: { label: "" } }] : []),
      { selector: "node.hover, node:selected", style: { label: "data(name)", "z-index": 10, "font-size": 12 } },
      { selector: "edge", style: { width: "data(width)", "curve-style": "bezier", "target-arrow-shape": "triangle",
        "line-color": EDGE_STYLE[""].color, "target-arrow-color": EDGE_STYLE[""].color } },
      ...["high", "medium", "low"].map((c) => ({ selector: `edge[confidence = "${c}"]`, style: {
        "line-color": EDGE_STYLE[c].color, "target-arrow-color": EDGE_STYLE[c].color,
        "line-style": c === "high" ? "solid" : c === "medium" ? "dashed" : "dotted" } })),
      { selector: ":selected", style: { "background-color": "#b3261e", "line-color": "#b3261e" } },
    ],
  });
  stableLayout(cy);
  window.pakgCy = cy;
  cy.on("mouseover", "node", (event) => event.target.addClass("hover"));
  cy.on("mouseout", "node", (event) => event.target.removeClass("hover"));
  cy.on("tap", "node", async (event) => {
    const node = event.target.data();
    const info = view.querySelector("#nodeinfo");
    info.textContent = t("loading");
    const as = node.outdegree !== 0 && event.target.outdegree() > 0 ? "supporter" : "recipient";
    const filter = new URLSearchParams(query);
    for (const k of ["level", "supporter_level", "recipient_level"]) filter.delete(k);
    filter.set(as, node.key || node.id);
    filter.set("limit", "500");
    const page = await api(`/pairings?${filter}`);
    info.innerHTML = `<h2>${link({ id: node.key || node.id, iri: node.iri, label_zh: node.label_zh, label_en: node.label_en }, "actor")}</h2>
      <p class="sub">${esc(t(as === "supporter" ? "supports" : "supported_by"))}: ${page.total}</p>${pairingList(page.items)}`;
  });
  cy.on("tap", "edge", (event) => {
    const e = event.target.data();
    // a year and its basis; no year: none known, a source says it continued, or (stated years only) not stated
    const year = (y, basis) => (y == null || y === ""
      ? (basis === "continued" ? vl("year-basis", "continued") : basis ? `? (${nt("not_stated")}: ${vl("year-basis", basis)})` : "")
      : `${y} (${basis === "stated" ? vl("year-basis", "stated") : `${nt("inferred")}: ${vl("year-basis", basis)}`})`);
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

// ---- the IRIs of the dataset, pointed at this service's own pages -------------------------------------
// the dataset's instance IRIs start with its base (…/id/); served here at /id/… of this server
const ID_BASE = (() => {
  try {
    const described = JSON.parse(document.getElementById("dataset-description")?.textContent || "{}");
    const id = described["@id"] || described.identifier || "";
    return id.endsWith("/dataset") ? id.slice(0, -"dataset".length) : null;
  } catch {
    return null;
  }
})();
// and its ontology's terms (…/ontology#HardLaw) at /ontology#HardLaw
const ONTOLOGY = ID_BASE ? `${ID_BASE.replace(/id\/$/, "")}ontology` : null;
const localHref = (iri) => (ID_BASE && iri.startsWith(ID_BASE) ? `/id/${iri.slice(ID_BASE.length)}`
  : ONTOLOGY && (iri === ONTOLOGY || iri.startsWith(`${ONTOLOGY}#`) || iri.startsWith(`${ONTOLOGY}/`)) ? `/ontology${iri.slice(ONTOLOGY.length)}` : iri);

function localiseLinks(root) {
  for (const a of root.querySelectorAll("a[href]")) {
    const href = a.getAttribute("href");
    if (localHref(href) !== href) {
      a.setAttribute("href", localHref(href));
      a.dataset.iri = href;
      a.removeAttribute("target");
    }
  }
}

// ---- named queries: a form per query (GET /queries), its answer as a table and as files ----------------
async function queriesView(params) {
  const list = await api("/queries");
  const open = params.get("name") || "";
  // one folded section per query, the one asked for open; running a query puts it and its values in the
  // address, so that an answer can be shared as a link
  const form = (q) => `<details class="query" data-query="${esc(q.name)}"${open === q.name ? " open" : ""}><summary><code>${esc(q.name)}</code>
    <span class="sub">${esc(shorten(q.description || "", 110))}</span></summary>
    <p class="sub">${esc(q.description || "")}</p><form class="filters" data-name="${esc(q.name)}">
    ${(q.parameters || []).map((p) => `<label title="${esc(p.description || "")}">${esc(p.name)} <span class="sub">${esc(p.type)}${p.class ? ` · ${esc(p.class)}` : ""}</span>
      <input name="${esc(p.name)}" required value="${esc(open === q.name ? params.get(p.name) || "" : "")}"${p.type === "integer" ? ' type="number"' : ""}></label>`).join("") ||
      `<span class="sub">${esc(t("no_parameters"))}</span>`}
    <button class="primary" type="submit">${esc(t("run"))}</button></form><div class="answer"></div></details>`;
  view.innerHTML = `<h1>${esc(t("queries_title"))}</h1><p class="sub">${esc(t("queries_intro"))}</p>` + list.map(form).join("");
  for (const f of view.querySelectorAll("form[data-name]")) {
    f.addEventListener("submit", (e) => {
      e.preventDefault();
      const values = new URLSearchParams(new FormData(f));
      values.set("name", f.dataset.name);
      const next = `#/queries?${values}`;
      if (location.hash === next) runQuery(f);
      else location.hash = next;
    });
  }
  const asked = open && view.querySelector(`form[data-name="${CSS.escape(open)}"]`);
  if (asked) {
    asked.scrollIntoView();
    if ([...asked.querySelectorAll("input[required]")].every((i) => i.value)) await runQuery(asked);
  }
}

async function runQuery(f) {
  const name = f.dataset.name;
  const values = new URLSearchParams(new FormData(f));
  const out = f.parentElement.querySelector(".answer");
  out.textContent = t("loading");
  const at = (format) => { const q = new URLSearchParams(values); q.set("format", format); return `/queries/${encodeURIComponent(name)}?${q}`; };
  try {
    const answer = await api(at("json"), { headers: { Accept: "application/sparql-results+json" } });
    const vars = answer.head?.vars || [];
    const rows = answer.results?.bindings || [];
    const cell = (b) => (!b ? "" : b.type === "uri" ? `<a href="${esc(localHref(b.value))}" data-iri="${esc(b.value)}">${esc(b.value)}</a>` : esc(b.value));
    out.innerHTML = `<p class="sub"><span data-testid="rows">${rows.length} ${esc(t("rows"))}</span> · ${esc(t("download"))}:
      <a data-format="csv" href="${esc(at("csv"))}" download>CSV</a> · <a data-format="json" href="${esc(at("json"))}" download>JSON</a></p>
      <table class="facts answer-table"><tr>${vars.map((v) => `<th>${esc(v)}</th>`).join("")}</tr>${rows.map((r) => `<tr>${vars.map((v) => `<td>${cell(r[v])}</td>`).join("")}</tr>`).join("")}</table>`;
  } catch (error) {
    out.innerHTML = errorHtml(error);
  }
}

// ---- SPARQL ------------------------------------------------------------------------------------------
let yasgui = null;
let observer = null;
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
  // the results' IRIs of the dataset link to this service's own pages (/id/…), not to w3id.org
  observer?.disconnect();
  observer = new MutationObserver(() => localiseLinks(view.querySelector("#yasgui") || document.createElement("div")));
  observer.observe(view.querySelector("#yasgui"), { childList: true, subtree: true });
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
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
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
const ROUTES = { "": homeView, home: homeView, search: searchView, pairings: pairingsView, governance: governanceView,
  pairing: pairingView, actor: actorView, instrument: instrumentView, provision: instrumentView, programme: programmeView, source: sourceView,
  coverage: coverageView, network: networkView, map: (params) => mapView(params, mapHelpers), queries: queriesView, sparql: sparqlView,
  cite: citeView };
// what the map view (map.js) takes from this page: its helpers and the chosen language
const mapHelpers = { view, api, t, lang: () => lang, esc, fill, vl, vocabValues, badge, errorHtml };

// the vocabulary's labels, read once per page load (the graph's own labels of every value)
const vocabularyReady = api("/vocabulary").then(loadVocabulary).catch(() => undefined);

async function route() {
  translateChrome();
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, query] = hash.split("?");
  const [name, ...rest] = path.split("/");
  const handler = ROUTES[name] || homeView;
  const params = new URLSearchParams(query || "");
  document.querySelectorAll("header nav a[data-route]").forEach((a) => a.classList.toggle("on", a.dataset.route === (name || "home")));
  try {
    view.innerHTML = `<p>${esc(t("loading"))}</p>`;
    await vocabularyReady;
    await (rest.length ? handler(decodeURIComponent(rest.join("/")), params) : handler(params));
  } catch (error) {
    view.innerHTML = errorHtml(error instanceof ApiError ? error : new ApiError(undefined, { detail: error.message }));
  }
  view.dataset.ready = location.hash || "#/";
}

document.querySelectorAll("[data-lang]").forEach((b) => b.addEventListener("click", () => {
  lang = b.dataset.lang;
  localStorage.setItem("pakg-lang", lang);
  if (health) showVersions(health);
  route();
}));
window.addEventListener("hashchange", route);
api("/health").then((h) => { health = h; showVersions(h); }).catch(() => undefined);
route();
