"""Turn ``shared/reference`` into the curated tables under ``data/reference/``.

Run once when the reference set changes::

    python tools/import_reference.py ../shared/reference data/reference

The output tables are the ones researchers review and edit; this script only
does the mechanical part (source ids for URLs, actor ids, splitting
hard-law articles from their instruments).  Every value it writes comes from a
reference row; the few curation rules it applies are listed in ``CURATION``
below and in README.md.
"""
from __future__ import annotations

import csv
import re
import sys
import unicodedata
from collections import OrderedDict, defaultdict
from pathlib import Path

# --- curation rules (each one documented; nothing here adds a fact) --------

# A supporter named with a qualifier in brackets is the base actor; the
# qualifier is kept on the pairing as ``supporter_detail``.
QUALIFIED_SUPPORTERS = {
    "江苏省（8家省属三甲医院）": "江苏省",
    "天津市（19家甲等医院）": "天津市",
    "北京市属医院（组团）": "北京市",
    "安徽省（援藏医疗队）": "安徽省",
    "陕西省（援藏医生）": "陕西省",
    "广东省（主要由深圳市承担）": "广东省",
}
# Short names used by some sources for the same province-level unit.
SHORT_NAMES = {
    "北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市",
    "河北": "河北省", "山西": "山西省", "辽宁": "辽宁省", "吉林": "吉林省",
    "黑龙江": "黑龙江省", "江苏": "江苏省", "浙江": "浙江省", "安徽": "安徽省",
    "福建": "福建省", "江西": "江西省", "山东": "山东省", "河南": "河南省",
    "湖北": "湖北省", "湖南": "湖南省", "广东": "广东省", "广西": "广西壮族自治区",
    "海南": "海南省", "四川": "四川省", "贵州": "贵州省", "云南": "云南省",
    "陕西": "陕西省", "甘肃": "甘肃省", "青海": "青海省", "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区", "西藏": "西藏自治区", "内蒙古": "内蒙古自治区",
}
# A city or district named with its province-level unit in front (山西省晋中市)
# is the city (晋中市) within that unit.
PREFIXED = re.compile(r"^(?P<prov>[^（]{2,7}?(?:省|市|自治区))(?P<rest>[^（]{2,}(?:市|(?<!地)区|县))$")
# Editorial glosses of the reference (今…/原…) become alternative labels.
GLOSS = re.compile(r"^(?P<base>[^（]+)（(?P<gloss>(?:今|原)[^）]*)）$")
# Alternative names in brackets (an XPCC division's city) become alternative labels.
ALIAS = re.compile(r"^(?P<base>新疆生产建设兵团[^（]+|伊犁哈萨克自治州)（(?P<gloss>[^）]*)）$")
# A unit named with a scope in brackets (昌吉回族自治州（州直）) lies within the unnamed base unit.
SCOPED = re.compile(r"^(?P<base>[^（]+?)(?:直属县市)?（[^）]*）$")
# English labels for units that the reference names only as a recipient's parent.
PARENT_EN = {
    "和田地区": "Hotan Prefecture",
    "新疆生产建设兵团": "Xinjiang Production and Construction Corps (XPCC)",
    "新疆生产建设兵团第十二师": "XPCC 12th Division",
    "阿勒泰地区": "Altay Prefecture",
    "喀什地区": "Kashgar Prefecture",
    "西藏自治区": "Tibet (Xizang) Autonomous Region",
    "绵阳市": "Mianyang City",
    "阿坝藏族羌族自治州": "Ngawa (Aba) Tibetan and Qiang AP",
    "广元市": "Guangyuan City",
    "德阳市": "Deyang City",
    "成都市": "Chengdu City",
    "南京市": "Nanjing",
    "雅安市": "Ya'an City",
}
# Hospitals whose name says where they belong (a provincial hospital, a city's hospital).
HOSPITAL_PARENTS = {
    "南京医科大学第一附属医院（江苏省人民医院）": "江苏省", "南京市儿童医院": "南京市", "河北医科大学第三医院": "河北省",
    "首都医科大学附属北京天坛医院": "北京市", "北京友谊医院": "北京市", "上海交通大学医学院附属仁济医院": "上海市",
    "北京协和医院": "北京市", "河南省人民医院等（四所大学及省医院）": "河南省",
}
# Short names the sources themselves use (the PR-0155 source: 银发专家进克州).
SHORT_LABELS = {"克孜勒苏柯尔克孜自治州": "克州"}
PARENT_LEVEL = {"和田地区": "prefecture", "喀什地区": "prefecture", "阿勒泰地区": "prefecture",
                "阿坝藏族羌族自治州": "prefecture", "西藏自治区": "province", "绵阳市": "city",
                "广元市": "city", "德阳市": "city", "成都市": "city", "雅安市": "city",
                "南京市": "city"}
LEVEL_KIND = {
    "province": ("region-government", "province"),
    "municipality": ("region-government", "municipality"),
    "city": ("region-government", "city"),
    "prefecture": ("region-government", "prefecture"),
    "county": ("region-government", "county"),
    "development-zone": ("region-government", "development-zone"),
    "XPCC-division": ("xpcc-unit", "xpcc-division"),
    "hospital": ("hospital", "institution"),
}
# Bilateral and provincial instruments that the reference attaches to a whole
# programme apply to the pairings between their parties (README: governance).
NARROWED = {
    "I-TJ-HN-AGR": {"parties": ["天津市", "黄南藏族自治州"]},
    "I-BJ-ACT": {"parties": ["北京市", "和田地区"]},
    "I-HB-PLAN": {"parties": ["河北省"]},
}


# Issuers named by the reference's ``issuer`` column, as actors.  The Chinese
# names are the standard names of these organs and persons.
ISSUER_ACTORS = {
    "npc": ("全国人民代表大会", "National People's Congress", "state-organ"),
    "npc-standing-committee": ("全国人民代表大会常务委员会", "Standing Committee of the National People's Congress", "state-organ"),
    "state-council": ("国务院", "State Council", "state-organ"),
    "general-office-of-the-state-council": ("国务院办公厅", "General Office of the State Council", "state-organ"),
    "ministry-of-civil-affairs": ("民政部", "Ministry of Civil Affairs", "ministry"),
    "national-health-and-family-planning-commission": ("国家卫生和计划生育委员会", "National Health and Family Planning Commission", "ministry"),
    "cpc-central-committee": ("中共中央", "CPC Central Committee", "party-organ"),
    "general-office-of-the-cpc-central-committee": ("中共中央办公厅", "General Office of the CPC Central Committee", "party-organ"),
    "organization-department-of-the-cpc-central-committee": ("中共中央组织部", "Organization Department of the CPC Central Committee", "party-organ"),
    "xi-jinping": ("习近平", "Xi Jinping", "person"),
    "zhang-gaoli": ("张高丽", "Zhang Gaoli", "person"),
    "yu-zhengsheng": ("俞正声", "Yu Zhengsheng", "person"),
    "wang-yang": ("汪洋", "Wang Yang", "person"),
    "wang-huning": ("王沪宁", "Wang Huning", "person"),
}
ISSUERS = {
    "I-CONST": ["npc"], "I-REAL": ["npc", "npc-standing-committee"], "I-WCREG": ["state-council"],
    "I-WC-PLAN": ["general-office-of-the-state-council"], "I-WC-MCA": ["ministry-of-civil-affairs"],
    "I-WC-DECISION": ["cpc-central-committee"], "I-BORDER-1979": ["cpc-central-committee"],
    "I-TB-F3": ["cpc-central-committee", "state-council"], "I-TB-F5": ["cpc-central-committee", "state-council"],
    "I-TB-F6": ["cpc-central-committee", "state-council"], "I-TB-F7": ["cpc-central-committee", "state-council"],
    "I-TB-20Y": ["yu-zhengsheng", "zhang-gaoli"],
    "I-TB-MED-2015": ["organization-department-of-the-cpc-central-committee", "national-health-and-family-planning-commission"],
    "I-XJ-CONF-2010": ["cpc-central-committee", "state-council"], "I-XJ-SYM-2010": ["cpc-central-committee", "state-council"],
    "I-XJ-SYM-2014": ["cpc-central-committee"], "I-XJ-SYM-2014-XI": ["xi-jinping"], "I-XJ-SYM-2020": ["cpc-central-committee"],
    "I-XJ-CONF-5": ["zhang-gaoli", "yu-zhengsheng"], "I-XJ-CONF-7": ["wang-yang"], "I-XJ-CONF-10": ["wang-huning"],
    "I-XJ-1996": ["cpc-central-committee"], "I-EW-1996": ["cpc-central-committee", "state-council"],
    "I-EW-2016": ["general-office-of-the-cpc-central-committee", "general-office-of-the-state-council"],
    "I-HB-PLAN": ["hebei"], "I-TJ-HN-AGR": ["tianjin", "huangnan-tibetan-ap"], "I-BJ-ACT": ["beijing"],
}
FORMS = {
    "I-WC-PLAN": "programme", "I-WC-MCA": "notice", "I-WC-DECISION": "decision", "I-BORDER-1979": "conference",
    "I-TB-F3": "conference", "I-TB-F5": "conference", "I-TB-F6": "conference", "I-TB-F7": "conference",
    "I-TB-20Y": "speech", "I-4PROV-2014": "plan", "I-TB-MED-2015": "programme", "I-XJ-CONF-2010": "conference",
    "I-XJ-SYM-2010": "conference", "I-XJ-SYM-2014": "conference", "I-XJ-SYM-2014-XI": "speech",
    "I-XJ-SYM-2020": "conference", "I-XJ-CONF-5": "speech", "I-XJ-CONF-7": "speech", "I-XJ-CONF-10": "speech",
    "I-XJ-1996": "decision", "I-EW-1996": "decision", "I-EW-2016": "opinion", "I-HB-PLAN": "plan",
    "I-TJ-HN-AGR": "agreement", "I-BJ-ACT": "project-launch",
}
CODE_SOURCE = {
    "id": "S-china-area-data",
    "title": "China administrative division codes (v5/data.json): the National Bureau of Statistics' 2019 statistical division codes, whose six-digit codes follow GB/T 2260",
    "url": "https://github.com/airyland/china-area-data/blob/8e72291e9b3d024f93fc07d95b0974df71d4a458/v5/data.json",
    "publisher": "airyland/china-area-data (GitHub), from the National Bureau of Statistics", "kind": "dataset",
    "note": "Used for GB/T 2260 codes and the parent unit of regions; matches are listed in tools/regions_codes_lookup.csv.",
}
DATE = re.compile(r"^(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*(?:\((?P<note>[^)]*)\))?$")


def slug(text: str, keep_brackets: bool = False) -> str:
    text = unicodedata.normalize("NFKD", text)
    if not keep_brackets:
        text = re.sub(r"\([^)]*\)", "", text)
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow({k: row.get(k, "") for k in header})


def sources_from_readme(readme: str) -> "OrderedDict[str, dict]":
    out: OrderedDict[str, dict] = OrderedDict()
    used: set[str] = set()
    for url, desc in re.findall(r"^- (\S+) — (.+)$", readme, re.M):
        host = re.sub(r"^https?://", "", url).split("/")[0].split(":")[0]
        host = re.sub(r"^(www|m|big5|en)\.", "", host)
        base = "S-" + slug(host)
        sid, n = base, 2
        while sid in used:
            sid, n = f"{base}-{n}", n + 1
        used.add(sid)
        publisher, _, title = desc.partition(": ")
        out[url] = {"id": sid, "title": title or desc, "url": url,
                    "publisher": publisher, "kind": "web-page",
                    "note": "Description from shared/reference/README.md; page as read by the reference compiler (often an excerpt)."}
    return out


def main(ref: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    srcs = sources_from_readme((ref / "README.md").read_text(encoding="utf-8"))

    def src_ids(field: str) -> str:
        return ";".join(srcs[u.strip()]["id"] for u in field.split(" ; ") if u.strip())

    programmes = read(ref / "programs.csv")
    pairings = read(ref / "pairings.csv")
    instruments = read(ref / "instruments.csv")

    # ---- actors -------------------------------------------------------------
    actors: OrderedDict[str, dict] = OrderedDict()
    by_zh: dict[str, str] = {}
    actor_sources: defaultdict[str, list[str]] = defaultdict(list)

    def canonical_zh(name: str) -> tuple[str, str]:
        name = QUALIFIED_SUPPORTERS.get(name, name)
        name = SHORT_NAMES.get(name, name)
        m = PREFIXED.match(name)
        if m and m["prov"] in SHORT_NAMES.values():
            return m["rest"], ""
        m = GLOSS.match(name) or ALIAS.match(name)
        if m:
            return m["base"], m["gloss"]
        return name, ""

    def actor(name_zh: str, name_en: str, level: str, src: str) -> str:
        base, gloss = canonical_zh(name_zh)
        if base in by_zh:
            aid = by_zh[base]
        else:
            kind, lvl = LEVEL_KIND[level] if level else ("region-government", "")
            en = re.sub(r"\s*\((?:8 provincial|19 grade|group|medical aid team|aid doctors|mainly)[^)]*\)", "", name_en).strip()
            aid = slug(en, keep_brackets="（" in base)
            if aid in actors:
                aid = f"{aid}-{lvl or kind}"
            actors[aid] = {"id": aid, "label_zh": base, "label_en": en, "kind": kind, "level": lvl,
                           "alt_labels_zh": gloss, "parent": "", "gb_code": "", "note": ""}
            by_zh[base] = aid
        m = PREFIXED.match(SHORT_NAMES.get(name_zh, name_zh))
        if m and m["prov"] in by_zh and not actors[aid]["parent"] and by_zh[m["prov"]] != aid:
            actors[aid]["parent"] = by_zh[m["prov"]]
        if gloss and not actors[aid]["alt_labels_zh"]:
            actors[aid]["alt_labels_zh"] = gloss
        for s in src.split(";"):
            if s and s not in actor_sources[aid]:
                actor_sources[aid].append(s)
        return aid

    def resolve_parent(name: str) -> str | None:
        if not name:
            return None
        name = SHORT_NAMES.get(name, name)
        if name in by_zh:
            return by_zh[name]
        for a in actors.values():  # a parent named by its current name (今…/原…)
            if a["alt_labels_zh"][1:] == name or a["alt_labels_zh"] == name:
                return a["id"]
        return None

    pr_rows = []
    for r in pairings:
        s = src_ids(r["source_url"])
        sup = actor(r["supporter_zh"], r["supporter_en"], r["supporter_level"], s)
        rec = actor(r["recipient_zh"], r["recipient_en"], r["recipient_level"], s)
        detail = ""
        if r["supporter_zh"] in QUALIFIED_SUPPORTERS:
            detail = r["supporter_zh"][r["supporter_zh"].index("（") + 1:-1]
        pr_rows.append({"id": r["id"], "programme": r["program_id"], "supporter": sup, "recipient": rec,
                        "supporter_detail": detail, "fields": r["field"], "start_year": r["start_year"],
                        "sources": s, "confidence": r["confidence"], "note": r["note"],
                        "_parent_zh": r["recipient_parent_zh"], "_sup_en": r["supporter_en"]})
    for r in pairings:  # supporting hospitals named after the unit they belong to
        if r["supporter_zh"] in HOSPITAL_PARENTS:
            r["recipient_parent_zh_of_supporter"] = HOSPITAL_PARENTS[r["supporter_zh"]]
    # parents named only as recipient_parent_zh become actors too
    parent_levels = {"新疆生产建设兵团": ("xpcc-unit", "xpcc-corps")}
    for row in pr_rows:
        pz = row.pop("_parent_zh")
        row.pop("_sup_en")
        if not pz:
            continue
        pid = resolve_parent(pz)
        if pid is None:
            kind, lvl = parent_levels.get(pz, ("xpcc-unit", "xpcc-division") if pz.startswith("新疆生产建设兵团") else ("region-government", ""))
            pid = actor(pz, PARENT_EN[pz], "", row["sources"])
            actors[pid].update(kind=kind, level=lvl or PARENT_LEVEL.get(pz, ""))
        else:
            for s in row["sources"].split(";"):
                if s not in actor_sources[pid]:
                    actor_sources[pid].append(s)
        rec = actors[row["recipient"]]
        if not rec["parent"]:
            rec["parent"] = pid
    for r, row in zip(pairings, pr_rows):
        pz = r.get("recipient_parent_zh_of_supporter")
        if not pz:
            continue
        pid = resolve_parent(pz) or actor(pz, PARENT_EN[pz], "", row["sources"])
        actors[pid]["level"] = actors[pid]["level"] or PARENT_LEVEL.get(pz, "")
        sup = actors[row["supporter"]]
        if not sup["parent"]:
            sup["parent"] = pid
            sup["note"] = "Parent read from the hospital's name."
        for src in row["sources"].split(";"):
            if src not in actor_sources[pid]:
                actor_sources[pid].append(src)
    for aid, a in list(actors.items()):
        m = SCOPED.match(a["label_zh"])
        base = by_zh.get(m["base"]) if m else None
        if base and base != aid:
            if not actors[base]["parent"]:
                actors[base]["parent"] = a["parent"]
            a["parent"] = base
            a["note"] = "A part of the unit named in brackets, as the source names it."
    # GB/T 2260 codes, and the parent unit where the reference names none
    lookup = {row["name_zh"]: row for row in read(Path(__file__).with_name("regions_codes_lookup.csv"))}
    by_code: dict[str, str] = {}
    for name, row in lookup.items():
        base, _ = canonical_zh(name)
        aid = by_zh.get(base)
        if not row["code"] or aid is None or "（" in actors[aid]["label_zh"] or actors[aid]["gb_code"]:
            continue
        a = actors[aid]
        a["gb_code"] = row["code"]
        by_code[row["code"]] = aid
        if row["matched_name_in_source"] not in (base, name) and "今" in name + a["alt_labels_zh"]:
            a["note"] = f"The code is that of the current unit, {row['matched_name_in_source']}."
        actor_sources[aid].append(CODE_SOURCE["id"])
    for name, row in lookup.items():
        aid = by_zh.get(canonical_zh(name)[0])
        if aid is None or actors[aid]["parent"] or row["parent_code"] in ("", "86"):
            continue
        parent = by_code.get(row["parent_code"]) or by_code.get(row["parent_code"][:2] + "0000")
        if parent and parent != aid:
            actors[aid]["parent"] = parent
    for aid, a in actors.items():
        a["sources"] = ";".join(actor_sources[aid])
        if a["label_zh"] in SHORT_LABELS:
            a["alt_labels_zh"] = ";".join(filter(None, [a["alt_labels_zh"], SHORT_LABELS[a["label_zh"]]]))

    # ---- programmes ---------------------------------------------------------
    pg_rows = [{"id": p["id"], "label_zh": p["name_zh"], "label_en": p["name_en"],
                "target_region": p["target_region"], "start_year": p["start_year"], "end_year": p["end_year"],
                "launched_by": p["launched_by"], "mode": p["mode"],
                "fields": ";".join(f.strip() for f in p["field"].split(";")),
                "sources": src_ids(p["source_url"]), "confidence": p["confidence"], "note": p["note"]}
               for p in programmes]

    mode_of = {p["id"]: p["mode"] for p in pg_rows}
    for row in pr_rows:
        row["mode"] = mode_of[row["programme"]]
    for row in pr_rows:
        sup, rec = actors[row["supporter"]], actors[row["recipient"]]
        for other in pr_rows:
            if (other is not row and other["programme"] == row["programme"] and other["supporter"] == sup["parent"]
                    and other["recipient"] in (row["recipient"], rec["parent"])):
                row["parent"] = other["id"]
                row["note"] = (row["note"] + " " if row["note"] else "") + (
                    f"Parent pairing {other['id']} read from the administrative hierarchy: the supporter lies within "
                    f"{other['id']}'s supporter and the recipient is the same or lies within its recipient.")
                break

    # ---- instruments and provisions ------------------------------------------
    works = {"I-CONST": ("中华人民共和国宪法", "Constitution of the People's Republic of China", "constitution"),
             "I-REAL": ("中华人民共和国民族区域自治法", "Law of the PRC on Regional Ethnic Autonomy", "law"),
             "I-WCREG": ("汶川地震灾后恢复重建条例", "Regulations on Wenchuan Earthquake Post-disaster Recovery and Reconstruction", "administrative-regulation")}
    ins_rows, prov_rows = [], []
    seen_work: dict[str, dict] = {}
    for r in instruments:
        s = src_ids(r["source_url"])
        if r["kind"] == "hard-law":
            wid = r["id"].rsplit("-", 1)[0]
            zh, en, typ = works[wid]
            if wid not in seen_work:
                seen_work[wid] = {"id": wid, "label_zh": zh, "label_en": en, "kind": "hard-law", "type": typ,
                                  "issuer_text": r["issuer"], "date": r["date"], "doc_number": r["doc_number"],
                                  "sources": s, "confidence": r["confidence"]}
                ins_rows.append(seen_work[wid])
            else:
                w = seen_work[wid]
                w["sources"] = ";".join(dict.fromkeys(w["sources"].split(";") + s.split(";")))
            prov_rows.append({"id": r["id"], "instrument": wid, "label_zh": r["title_zh"], "label_en": r["title_en"],
                              "article": r["relevant_article"], "issuer_text": r["issuer"], "date": r["date"],
                              "summary_en": r["paraphrase"], "authorizes": r["applies_to_program_ids"],
                              "sources": s, "confidence": r["confidence"]})
        else:
            ins_rows.append({"id": r["id"], "label_zh": r["title_zh"], "label_en": r["title_en"], "kind": "soft-law",
                             "type": r["soft_law_type"], "issuer_text": r["issuer"], "date": r["date"],
                             "doc_number": r["doc_number"], "summary_en": r["paraphrase"],
                             "governs": r["applies_to_program_ids"], "sources": s, "confidence": r["confidence"]})
    issuer_sources: defaultdict[str, list[str]] = defaultdict(list)
    for row in ins_rows + prov_rows:
        m = DATE.match(row.get("date", ""))
        if row.get("date") and m:
            row["date"], row["date_note"] = m["date"], m["note"] or ""
        if row in prov_rows:
            continue
        row["form"] = FORMS.get(row["id"], "")
        row["issuers"] = ";".join(ISSUERS.get(row["id"], []))
        for iid in ISSUERS.get(row["id"], []):
            issuer_sources[iid].extend(x for x in row["sources"].split(";") if x not in issuer_sources[iid])
    for iid, (zh, en, kind) in ISSUER_ACTORS.items():
        actors[iid] = {"id": iid, "label_zh": zh, "label_en": en, "kind": kind, "level": "centre",
                       "sources": ";".join(issuer_sources[iid]),
                       "note": "Named as an issuer by the sources of the instruments it issued."}
    for iid in ("hebei", "tianjin", "huangnan-tibetan-ap", "beijing"):
        a = actors[iid]
        a["sources"] = ";".join(dict.fromkeys(a["sources"].split(";") + issuer_sources[iid]))
    for row in ins_rows:
        rule = NARROWED.get(row["id"])
        if rule:
            party_ids = [by_zh[p] for p in rule["parties"]]
            prog = row["governs"].split(";")
            targets = []
            for p in pr_rows:
                if p["programme"] not in prog:
                    continue
                rec = actors[p["recipient"]]
                if p["supporter"] == party_ids[0] and (len(party_ids) == 1 or party_ids[1] in (rec["id"], rec["parent"])):
                    targets.append(p["id"])
            row["governs"] = ";".join(targets)
            row["parties"] = ";".join(party_ids)
            row["note"] = (f"The reference attaches this instrument to {';'.join(prog)}; as an instrument of its parties "
                           f"it is recorded as governing their pairings in that programme.")

    write(out / "sources.csv", ["id", "title", "url", "citation", "publisher", "kind", "accessed", "note"],
          list(srcs.values()) + [CODE_SOURCE])
    write(out / "programmes.csv", ["id", "label_zh", "label_en", "target_region", "start_year", "end_year", "launched_by",
                                   "mode", "fields", "sources", "confidence", "note"], pg_rows)
    write(out / "actors.csv", ["id", "label_zh", "label_en", "kind", "level", "parent", "gb_code", "alt_labels_zh",
                               "sources", "confidence", "note"], list(actors.values()))
    write(out / "pairings.csv", ["id", "kind", "programme", "supporter", "recipient", "supporter_detail", "fields", "mode",
                                 "start_year", "end_year", "parent", "batch", "sources", "confidence", "note"], pr_rows)
    write(out / "instruments.csv", ["id", "label_zh", "label_en", "kind", "type", "form", "issuers", "issuer_text", "date",
                                    "date_note", "doc_number", "parties", "governs", "authorizes", "summary_en", "sources",
                                    "confidence", "note"], ins_rows)
    write(out / "provisions.csv", ["id", "instrument", "label_zh", "label_en", "article", "date", "date_note",
                                   "summary_en", "authorizes",
                                   "sources", "confidence", "note"], prov_rows)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
