// pakg explorer: the words of the interface in both languages (one table), and the labels of the graph's
// vocabulary values (fields, modes, levels, confidence, kinds …), which come from the graph itself
// (GET /vocabulary: its skos:prefLabel / rdfs:label in Chinese and English), never from this file.

export const I18N = {
  zh: {
    title: "对口支援知识图谱", nav_home: "首页", nav_search: "搜索", nav_pairings: "结对列表", nav_network: "网络",
    nav_coverage: "覆盖范围", nav_queries: "命名查询", nav_sparql: "SPARQL 查询", nav_api: "API 文档", language: "语言",
    footer: "每条事实均附来源", search_placeholder: "输入地区、机构、文件或工程，例如 克州、和田、Kizilsu",
    search: "搜索", actors: "行动者", pairings: "结对关系", instruments: "规范性文件", programmes: "工程", sources: "来源",
    none: "没有结果", supporter: "支援方", recipient: "受援方", fields: "领域", mode: "模式", period: "时间",
    programme: "所属工程", parent: "上级结对", sub_pairings: "下级结对", confidence: "可信度",
    chain: "治理链条", hard_law: "硬法（授权）", soft_law: "软法（规约）", pairing: "结对", teams: "援助团队",
    people: "人员", evidence: "证据材料", supports: "支援", supported_by: "受援", below: "下属单位的受援结对",
    members: "成员", member_of: "所属", units: "下属单位", governs: "规约", authorizes: "授权", issued_by: "发布机关",
    provisions: "条款", level: "行政级别", year: "年份", field: "领域", size_by: "节点大小", all: "全部",
    filter: "筛选", nodes: "个节点", edges: "条边", download: "下载", click_node: "点击节点查看其结对关系",
    examples: "示例查询", ongoing: "至今", open_rdf: "RDF 描述", loading: "加载中…",
    parent_unit: "上级单位", note: "说明", in_force: "施行期间", in_force_since: "自{from}起施行", in_force_until: "至{until}失效",
    replaced_by: "被以下工程取代", replaces: "取代的工程", relations: "文件之间的关系", kind: "类别", type: "类型",
    doc_number: "文号", date: "日期", issuer: "发布机关", summary: "摘要", missing: "数据尚缺",
    missing_fields: { summary_zh: "中文摘要", summary_en: "英文摘要", doc_number: "文号", issuer: "发布机关", date: "日期" },
    rel: { "based-on": ["依据", "以其为依据"], implements: ["实施", "被以下文件实施"], amends: ["修订", "被以下文件修订"],
      replaces: ["取代", "被以下文件取代"], repeals: ["废止", "被以下文件废止"] },
    via: { direct: "直接规约", programme: "经由所属工程", "parent-pairing": "经由上级结对",
      "parent-programme": "经由上级结对的工程", "authorising-hard-law": "授权的硬法" },
    // the home page
    home_title: "对口支援知识图谱",
    home_intro_1: "本图谱记录中国的对口支援：哪个省市或机构在何时、何领域支援哪个地区，以及规范这些结对的法律、政策与协议。",
    home_intro_2: "每条事实都附有来源与可信度，可按名称搜索、查看治理链条、浏览网络，或下载表格与 RDF 数据。",
    home_counts: "图谱现有", home_by_confidence: "结对按可信度", home_questions: "从一个问题开始",
    q_governance: "江苏对口支援克州的结对受哪些文件规范？",
    q_governance_names: ["江苏", "克州"],
    q_hotan: "2012年哪些地方支援和田地区，在哪些领域？",
    q_hotan_name: "和田地区",
    q_network: "导出省与省之间的支援网络（GraphML、GEXF、CSV）",
    // lists, facets, downloads, names
    facets: "分面筛选", no_value: "（无）", results_total: "共 {n} 条", remove_filter: "移除此筛选条件", download_list: "下载此列表",
    governance_of_list: "这些结对的治理文件", list_of: "结对列表", include_subunits: "包括下属单位",
    unknown_name: "未找到名称“{name}”", ambiguous_name: "名称“{name}”有多个可能的对象", candidates: "您是否要找",
    its_pairings: "其结对", also: "同名的还有", part_of: "所属文件", resolved_as: "“{name}”即", units_below: "含 {n} 个下属单位",
    // governance
    governance: "治理文件", as_of: "截至年份", as_of_hint: "只列出该年已发布的文件", apply: "应用",
    applies_to: "适用的结对", why: "适用理由", not_active: "该结对在这一年不在实施期内", left_out_instruments: "{n} 份文件晚于该年，未列出",
    instruments_n: "份文件", pairings_n: "个结对",
    // named queries
    queries_title: "命名查询", queries_intro: "图谱自带的 SPARQL 查询：填写参数（可用编号或名称），运行后查看结果或下载。",
    run: "运行", parameters: "参数", no_parameters: "无参数", rows: "行",
    // the network
    measure: { degree: "度（结对数）", pagerank: "PageRank", betweenness: "中介中心性" },
    levels: { "as-paired": "按结对原样（不汇总）" },
    supporter_level: "支援方级别", recipient_level: "受援方级别", as_defined: "同“行政级别”",
    legend_nodes: "节点", legend_supporter: "支援方（至少支援一方）", legend_recipient: "仅为受援方",
    legend_size: "节点大小：{measure}", legend_edges: "边的样式：结对关系的最低可信度",
    // errors
    error: "出错了", error_400: "请求有误", error_404: "未找到", error_406: "无法提供所请求的格式", error_413: "请求过大",
    error_422: "参数无效", error_429: "请求过多，请稍后再试", error_500: "服务器出错", error_503: "服务暂不可用",
    error_network: "无法连接服务器",
    // the map
    nav_map: "地图", map_title: "支援流向地图", map_name_hint: "名称或编号", map_min_confidence: "最低可信度", map_in_year: "按年份",
    map_all_years: "全部年份", map_stated_years_only: "仅用来源明载的年份", map_colour_by: "流向颜色", map_size_pairings: "节点大小：结对数",
    map_size_degree: "节点大小：度（结对方数）", map_click: "点击节点或流向查看其结对关系",
    map_nodes_located: "个节点有坐标", map_flows_located: "条流向有坐标", map_several: "多个", map_none: "未注明",
    map_release: "版本", map_points: "坐标", map_placed_in: "位于", map_approximate: "近似位置（所在单位的点）",
    map_legend_nodes: "圆点：行动者的代表点（地区据 GB/T 2260 代码取自地名库）", map_legend_hollow: "空心：近似位置",
    map_legend_arrow: "箭头：支援方 → 受援方", map_unlocated: "无坐标：{nodes} 个节点、{edges} 条流向（已计入，未绘出）",
    map_all_located: "所有节点均有坐标",
    map_no_borders: "本图不含边界与底图：如何叠加到经审核的底图上",
    map_no_borders_short: "仅含点与流向，不含边界；公开发表的中国地图须使用经审核的标准底图（审图号）",
    map_basemap_why: "本页只绘出点与流向，不绘国界、省界。公开发表或出版的中国地图须使用经审核的标准底图并标注审图号。若需带边界的地图，请下载 GeoJSON，叠加到您自己合规的底图上，例如在 QGIS 中：",
    map_qgis_steps: ["在 QGIS 中先载入您经审核的底图（例如自然资源部标准地图服务提供的底图，并保留其审图号）。",
      "图层 ▸ 添加图层 ▸ 添加矢量图层，选择下载的 .geojson 文件；其坐标参照系为 WGS 84（EPSG:4326，经度在前）。",
      "图层包含点（节点）和线（流向）两类要素；按属性 feature 筛选，用 programmes、fields、pairings 等属性设置样式。",
      "若底图用其他坐标系，QGIS 会即时重投影；导出时在版面中注明底图的审图号与本数据集的来源和许可。"],
  },
  en: {
    title: "Paired-Assistance Knowledge Graph", nav_home: "Home", nav_search: "Search", nav_pairings: "Pairings",
    nav_network: "Network", nav_coverage: "Coverage", nav_queries: "Named queries", nav_sparql: "SPARQL", nav_api: "API docs",
    language: "Language", footer: "Every fact carries its source",
    search_placeholder: "A region, organisation, instrument or programme, e.g. Kizilsu, 克州, Hotan",
    search: "Search", actors: "Actors", pairings: "Pairings", instruments: "Instruments", programmes: "Programmes", sources: "Sources",
    none: "No results", supporter: "Supporter", recipient: "Recipient", fields: "Fields", mode: "Mode", period: "Period",
    programme: "Programme", parent: "Parent pairing", sub_pairings: "Sub-pairings", confidence: "Confidence",
    chain: "Governance chain", hard_law: "Hard law (authorises)", soft_law: "Soft law (governs)", pairing: "Pairing",
    teams: "Teams", people: "People", evidence: "Evidence", supports: "Supports", supported_by: "Supported by",
    below: "Pairings of the units below", members: "Members", member_of: "Member of", units: "Units below",
    governs: "Governs", authorizes: "Authorises", issued_by: "Issued by", provisions: "Provisions", level: "Level",
    year: "Year", field: "Field", size_by: "Node size", all: "all", filter: "Filter", nodes: "nodes", edges: "edges",
    download: "Download", click_node: "Click a node to list its pairings", examples: "Example queries",
    ongoing: "ongoing", open_rdf: "RDF description", loading: "Loading…",
    parent_unit: "Part of", note: "Note", in_force: "In force", in_force_since: "since {from}", in_force_until: "until {until}",
    replaced_by: "Replaced by", replaces: "Replaces", relations: "Relations to other instruments", kind: "Kind", type: "Type",
    doc_number: "Document number", date: "Date", issuer: "Issuer", summary: "Summary", missing: "Not yet in the data",
    missing_fields: { summary_zh: "Chinese summary", summary_en: "English summary", doc_number: "document number",
      issuer: "issuer", date: "date" },
    rel: { "based-on": ["Based on", "Basis of"], implements: ["Implements", "Implemented by"], amends: ["Amends", "Amended by"],
      replaces: ["Replaces", "Replaced by"], repeals: ["Repeals", "Repealed by"] },
    via: { direct: "directly", programme: "through its programme", "parent-pairing": "through a parent pairing",
      "parent-programme": "through a parent pairing's programme", "authorising-hard-law": "authorising hard law" },
    home_title: "The Paired-Assistance Knowledge Graph",
    home_intro_1: "This graph records China's paired assistance (对口支援): which province, city or institution supported which place, when and in which fields, and the laws, policies and agreements that govern each pairing.",
    home_intro_2: "Every fact carries its sources and a confidence; search by any name, follow a pairing's governance chain, explore the network, or download tables and RDF.",
    home_counts: "The graph holds", home_by_confidence: "Pairings by confidence", home_questions: "Start from a question",
    q_governance: "What governs Jiangsu's aid to Kizilsu?",
    q_governance_names: ["Jiangsu", "Kizilsu"],
    q_hotan: "Who supported Hotan Prefecture in 2012, and in which fields?",
    q_hotan_name: "Hotan Prefecture",
    q_network: "Export the province-to-province support network (GraphML, GEXF, CSV)",
    facets: "Facets", no_value: "(none)", results_total: "{n} in all", remove_filter: "Remove this filter", download_list: "Download this list",
    governance_of_list: "Instruments governing these pairings", list_of: "Pairings", include_subunits: "Include the units below",
    unknown_name: "No name “{name}” is known", ambiguous_name: "The name “{name}” could mean several things", candidates: "Did you mean",
    its_pairings: "its pairings", also: "the name also fits", part_of: "Part of", resolved_as: "“{name}” is", units_below: "with {n} units below",
    governance: "Governing instruments", as_of: "As of year", as_of_hint: "only instruments issued by then", apply: "Apply",
    applies_to: "Applies to", why: "Why it applies", not_active: "The pairing was not active that year",
    left_out_instruments: "{n} instruments dated after that year left out",
    instruments_n: "instruments", pairings_n: "pairings",
    queries_title: "Named queries", queries_intro: "The graph's own SPARQL queries: fill in the parameters (ids or names), run one and read or download the answer.",
    run: "Run", parameters: "Parameters", no_parameters: "no parameters", rows: "rows",
    measure: { degree: "degree (pairings)", pagerank: "PageRank", betweenness: "betweenness" },
    levels: { "as-paired": "as paired (no aggregation)" },
    supporter_level: "Supporter level", recipient_level: "Recipient level", as_defined: "same as Level",
    legend_nodes: "Nodes", legend_supporter: "supporter (supports at least one)", legend_recipient: "recipient only",
    legend_size: "node size: {measure}", legend_edges: "Edges styled by their pairings' lowest confidence",
    error: "Something went wrong", error_400: "Bad request", error_404: "Not found", error_406: "That format cannot be given",
    error_413: "The request is too large", error_422: "A parameter is not valid", error_429: "Too many requests, try again shortly",
    error_500: "Server error", error_503: "The service is not available", error_network: "The server cannot be reached",
    // the map
    nav_map: "Map", map_title: "Where aid flows", map_name_hint: "a name or id", map_min_confidence: "Minimum confidence", map_in_year: "By year",
    map_all_years: "all years", map_stated_years_only: "Stated years only", map_colour_by: "Flow colour", map_size_pairings: "node size: pairings",
    map_size_degree: "node size: degree (partners)", map_click: "Click a node or a flow to list its pairings",
    map_nodes_located: "nodes located", map_flows_located: "flows located", map_several: "several", map_none: "not given",
    map_release: "release", map_points: "points", map_placed_in: "placed in", map_approximate: "approximate (the point of the unit it is in)",
    map_legend_nodes: "Circles: an actor's representative point (regions from a gazetteer by GB/T 2260 code)", map_legend_hollow: "hollow: approximate",
    map_legend_arrow: "arrows: supporter → recipient", map_unlocated: "Without a point (counted, not drawn) — nodes: {nodes}, flows: {edges}",
    map_all_located: "Every node has a point",
    map_no_borders: "No borders or base map here: how to lay the flows on an approved base map",
    map_no_borders_short: "Points and flows only, no borders; a published map of China needs an approved base map (审图号)",
    map_basemap_why: "This page draws points and flows only, no national or provincial borders: a map of China that is published must use an approved standard base map and show its approval number (审图号). For a map with borders, download the GeoJSON and lay it on your own approved base map, for example in QGIS:",
    map_qgis_steps: ["Load your approved base map in QGIS first (for example one from the Ministry of Natural Resources' standard map service, keeping its approval number).",
      "Layer ▸ Add Layer ▸ Add Vector Layer, and choose the downloaded .geojson file; its CRS is WGS 84 (EPSG:4326, longitude first).",
      "The layer holds points (nodes) and lines (flows): filter on the property feature, and style by programmes, fields, pairings and the other properties.",
      "QGIS reprojects on the fly if the base map uses another CRS; in the print layout, give the base map's approval number and this dataset's source and licence."],
  },
};

// the vocabulary: name (field, mode, level, confidence, source-kind, year-basis, instrument-kind,
// instrument-type …) → value → {zh, en}; a class vocabulary also by its class's name in kebab case
// (CentralPolicy → central-policy), the form the REST answers use for an instrument's type; a concept also
// by its local name (groupStyle)
const VOCAB = new Map();
const CODES = new Map();  // name → the codes themselves (the values a REST parameter takes), in the graph's order
const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

export function loadVocabulary(answer) {
  for (const v of answer.vocabularies || []) {
    const values = new Map();
    for (const x of v.values) {
      const labels = { zh: x.label_zh, en: x.label_en };
      values.set(x.value, labels);
      // also by the concept's or class's local name (a programme's mode comes as "groupStyle"), and a class
      // by that name in kebab case (an instrument's type comes as "central-policy")
      const local = x.iri ? x.iri.split(/[#/]/).pop() : null;
      for (const alias of local ? [local, kebab(local)] : []) if (!values.has(alias)) values.set(alias, labels);
    }
    VOCAB.set(v.name, values);
    CODES.set(v.name, v.values.map((x) => x.value));
  }
}

export function vocabLabel(name, value, lang) {
  const found = VOCAB.get(name)?.get(value);
  return (found && (found[lang] || found.en || found.zh)) || value;
}

export const vocabValues = (name) => [...(CODES.get(name) || [])];
