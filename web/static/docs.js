// The API pages /docs (Swagger UI) and /redoc (ReDoc): starts the tool the page names in its
// data-tool attribute on the OpenAPI document named by data-openapi (api/routers/docs.py), and
// switches the header between 中文 and English (the explorer's choice, kept in localStorage).
// No inline script: the pages' Content-Security-Policy allows scripts from this server only.
(function () {
  "use strict";

  const body = document.body;
  const tool = body.dataset.tool;
  const openapi = body.dataset.openapi;
  const STORE = "pakg-lang"; // the explorer's key: one choice for the whole service
  const stored = (() => {
    try { return localStorage.getItem(STORE); } catch (e) { return null; }
  })();
  let lang = stored === "zh" || stored === "en" ? stored : (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";

  // the explorer's colours (web/static/style.css)
  const INK = "#1d2733", MUTED = "#5b6675", ACCENT = "#b3261e", SOFT = "#f6f7f9";
  const FONT = 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  const MONO = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace';

  // ReDoc's own words that it lets a page replace (its `labels` option); Swagger UI has no such option
  const REDOC_LABELS = {
    en: {
      enum: "Enum", enumSingleValue: "Value", enumArray: "Items", default: "Default", deprecated: "Deprecated",
      example: "Example", examples: "Examples", recursive: "Recursive", arrayOf: "Array of ", webhook: "Event",
      const: "Value", noResultsFound: "No results found", download: "Download",
      downloadSpecification: "Download OpenAPI specification", responses: "Responses",
      callbackResponses: "Callback responses", requestSamples: "Request samples", responseSamples: "Response samples",
    },
    zh: {
      enum: "可选值", enumSingleValue: "取值", enumArray: "各项", default: "默认值", deprecated: "已弃用",
      example: "示例", examples: "示例", recursive: "递归", arrayOf: "数组，元素为 ", webhook: "事件",
      const: "取值", noResultsFound: "没有结果", download: "下载",
      downloadSpecification: "下载 OpenAPI 文档", responses: "响应",
      callbackResponses: "回调响应", requestSamples: "请求示例", responseSamples: "响应示例",
    },
  };

  // An image from another server would be blocked by the page's policy (img-src 'self' data:) and is not
  // even asked for: ReDoc 2 puts the Redocly logo from cdn.redoc.ly beside its "API docs by Redocly"
  // link, with no option to leave it out, so such an image gets an empty picture instead (the link and
  // its words stay).  React sets an image's src with setAttribute; the src property is covered too.
  const BLANK = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";
  const elsewhere = (value) => {
    try {
      const url = new URL(String(value), document.baseURI);
      return url.protocol !== "data:" && url.protocol !== "blob:" && url.origin !== location.origin;
    } catch (e) {
      return false;
    }
  };
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src" && elsewhere(value)) {
      return setAttribute.call(this, "src", BLANK);
    }
    return setAttribute.call(this, name, value);
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src,
    set(value) { src.set.call(this, elsewhere(value) ? BLANK : value); },
  });

  function missing() {
    const note = document.querySelector(".docs-missing");
    if (note) note.hidden = false;
  }

  function setLanguage(chosen) {
    lang = chosen;
    document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
    document.querySelectorAll("[data-lang]").forEach((b) => {
      b.classList.toggle("on", b.dataset.lang === lang);
      b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
    });
  }

  function startSwagger() {
    if (typeof window.SwaggerUIBundle !== "function") return missing();
    window.SwaggerUIBundle({
      url: openapi,
      dom_id: "#swagger-ui",
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      deepLinking: true,
      docExpansion: "list",
      defaultModelsExpandDepth: 0,
      displayRequestDuration: true,
      filter: true,
      validatorUrl: null, // its default badge is an image from validator.swagger.io
      withCredentials: false,
      // answers that have labels give them in the reader's language
      requestInterceptor: (request) => {
        request.headers["Accept-Language"] = lang === "zh" ? "zh-Hans, en;q=0.5" : "en, zh-Hans;q=0.5";
        return request;
      },
    });
  }

  function startRedoc() {
    if (!window.Redoc || typeof window.Redoc.init !== "function") return missing();
    window.Redoc.init(
      openapi,
      {
        labels: REDOC_LABELS[lang],
        expandResponses: "200",
        hideDownloadButton: false,
        pathInMiddlePanel: true,
        theme: {
          colors: { primary: { main: ACCENT }, text: { primary: INK, secondary: MUTED } },
          typography: {
            fontFamily: FONT,
            headings: { fontFamily: FONT, fontWeight: "600" },
            code: { fontFamily: MONO },
            links: { color: ACCENT },
          },
          sidebar: { backgroundColor: SOFT, textColor: INK, activeTextColor: ACCENT },
          rightPanel: { backgroundColor: INK },
        },
      },
      document.getElementById("redoc"),
    );
  }

  setLanguage(lang);
  document.querySelectorAll("[data-lang]").forEach((b) =>
    b.addEventListener("click", () => {
      const before = lang;
      setLanguage(b.dataset.lang);
      try { localStorage.setItem(STORE, lang); } catch (e) { /* private mode: the choice lasts this page */ }
      if (tool === "redoc" && lang !== before) startRedoc(); // its own words follow the language
    }),
  );
  if (tool === "swagger-ui") startSwagger();
  else if (tool === "redoc") startRedoc();
})();
