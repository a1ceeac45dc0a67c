// The plain SPARQL page (/sparql): the Run button sends the query to this endpoint and shows the answer
// as a table (SELECT: one row a solution; ASK: yes or no; CONSTRUCT / DESCRIBE: one row a triple, read
// from the JSON-LD answer).  IRIs of the dataset link to this service's own /id/ pages.  A refused or
// malformed query shows the endpoint's message and the excerpt with its caret, and selects the place in
// the text.  No inline script (the page's Content-Security-Policy allows only this server's scripts).
"use strict";

(function () {
  const form = document.getElementById("sparql-form");
  if (!form) return;
  const textarea = document.getElementById("query");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const problem = document.getElementById("problem");
  const base = form.dataset.base || "";
  const kinds = new Set((form.dataset.kinds || "").split(" ").filter(Boolean));
  const prefixes = Object.entries(JSON.parse(form.dataset.prefixes || "{}"));
  const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
  // SELECT and ASK answers as SPARQL JSON results, CONSTRUCT and DESCRIBE as (expanded) JSON-LD
  const ACCEPT = "application/sparql-results+json, application/ld+json;q=0.9";

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // where an IRI of the dataset is described by this service: id/<kind>/<id> (or id/dataset) here
  function localPage(iri) {
    if (!base || !iri.startsWith(base)) return null;
    const rest = iri.slice(base.length);
    const kind = rest.split("/")[0];
    if (rest !== "dataset" && !(kinds.has(kind) && rest.length > kind.length + 1)) return null;
    return new URL("id/" + rest, document.baseURI).href;
  }

  function compact(iri) {
    for (const [prefix, namespace] of prefixes) {
      if (iri.startsWith(namespace) && /^[A-Za-z0-9_-]*$/.test(iri.slice(namespace.length))) {
        return prefix + ":" + iri.slice(namespace.length);
      }
    }
    return iri;
  }

  function iriCell(iri) {
    const local = localPage(iri);
    const link = element("a", local ? "local" : "iri", local ? iri : compact(iri));
    link.href = local || iri;
    link.title = iri;
    return link;
  }

  // a term of SPARQL JSON results: {type: uri|bnode|literal|triple, value, xml:lang?, datatype?}
  function termCell(term) {
    const cell = element("td");
    if (!term) return cell;
    if (term.type === "uri") cell.append(iriCell(term.value));
    else if (term.type === "bnode") cell.append(element("span", "bnode", "_:" + term.value));
    else literal(cell, term.value, term["xml:lang"], term.datatype);
    return cell;
  }

  function literal(cell, value, lang, datatype) {
    cell.append(document.createTextNode(value));
    if (lang) cell.append(element("span", "lang", " @" + lang));
    else if (datatype) cell.append(element("span", "datatype", " ^^" + compact(datatype)));
  }

  // a value of expanded JSON-LD: {"@id"} or {"@value", "@language"?, "@type"?}
  function jsonldCell(value) {
    const cell = element("td");
    if (typeof value === "string") cell.append(iriCell(value));
    else if (value["@id"] !== undefined) {
      if (value["@id"].startsWith("_:")) cell.append(element("span", "bnode", value["@id"]));
      else cell.append(iriCell(value["@id"]));
    } else literal(cell, String(value["@value"]), value["@language"], value["@type"]);
    return cell;
  }

  function table(columns, rows) {
    const out = element("table");
    const head = element("tr");
    for (const name of columns) head.append(element("th", "", name));
    out.append(element("thead"));
    out.firstChild.append(head);
    const body = element("tbody");
    for (const cells of rows) {
      const row = element("tr");
      row.append(...cells);
      body.append(row);
    }
    out.append(body);
    return out;
  }

  function triples(nodes) {
    const rows = [];
    const subjects = Array.isArray(nodes) ? nodes : nodes["@graph"] || [nodes];
    for (const node of subjects) {
      const subject = jsonldCell({ "@id": node["@id"] });
      for (const [predicate, values] of Object.entries(node)) {
        if (predicate === "@id") continue;
        const iri = predicate === "@type" ? RDF_TYPE : predicate;
        for (const value of [].concat(values)) {
          rows.push([subject.cloneNode(true), jsonldCell(iri), jsonldCell(value)]);
        }
      }
    }
    return rows;
  }

  function showProblem(body, code) {
    problem.hidden = false;
    document.getElementById("problem-detail").textContent =
      (body && body.detail) || "HTTP " + code;
    document.getElementById("problem-excerpt").textContent = (body && body.excerpt) || "";
    document.getElementById("problem-excerpt").hidden = !(body && body.excerpt);
    if (body && body.line) select(body.line, body.column || 1);
  }

  // select the place of an error in the text (line and column from 1, in characters)
  function select(line, column) {
    const lines = textarea.value.split("\n");
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
    const at = offset + Array.from(lines[line - 1] || "").slice(0, column - 1).join("").length;
    textarea.focus();
    textarea.setSelectionRange(at, Math.min(at + 1, textarea.value.length));
  }

  async function run() {
    results.replaceChildren();
    problem.hidden = true;
    status.textContent = "运行中… / running…";
    let response;
    try {
      response = await fetch(form.getAttribute("action") || window.location.pathname, {
        method: "POST",
        headers: { Accept: ACCEPT, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ query: textarea.value }),
      });
    } catch (error) {
      status.textContent = "";
      showProblem({ detail: "无法连接 / cannot reach the endpoint: " + error }, 0);
      return;
    }
    const type = (response.headers.get("content-type") || "").split(";")[0];
    const body = type.includes("json") ? await response.json() : await response.text();
    if (!response.ok) {
      status.textContent = "";
      showProblem(typeof body === "object" ? body : { detail: body }, response.status);
      return;
    }
    const truncated = response.headers.get("x-truncated") === "true";
    let count;
    if (type === "application/sparql-results+json" && "boolean" in body) {
      results.append(element("p", "boolean", body.boolean ? "是 / yes (true)" : "否 / no (false)"));
      count = 1;
    } else if (type === "application/sparql-results+json") {
      const vars = body.head.vars;
      const rows = body.results.bindings.map((b) => vars.map((v) => termCell(b[v])));
      results.append(table(vars, rows));
      count = rows.length;
    } else {
      const rows = triples(body);
      results.append(table(["subject", "predicate", "object"], rows));
      count = rows.length;
    }
    status.textContent =
      count + " 行 / rows" +
      (truncated ? " — 已截断，仅显示前 " + response.headers.get("x-row-cap") +
        " 行 / cut at the row cap of " + response.headers.get("x-row-cap") : "");
  }

  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.id === "raw") return; // the raw answer, in the chosen format
    event.preventDefault();
    run();
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  for (const link of document.querySelectorAll("a.example[data-query]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      textarea.value = link.dataset.query;
      run();
    });
  }
})();
