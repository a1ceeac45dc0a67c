"""Turn the reference sets into the curated tables under ``data/reference/``.

Run when a reference set changes::

    python tools/import_reference.py ../shared/reference data/reference

It reads the first set (``README.md``, ``programs.csv``, ``pairings.csv``, ``instruments.csv``) and
the second set in ``additions/`` beside it (the same files plus ``figures.csv``), and writes
sources, programmes, actors, pairings, instruments, provisions, figures and merges.  Every output
row is traceable to its reference row: programme, pairing, instrument and figure ids are the
reference ids; actor ids are slugs of the English names the rows give.

Curation rules (each documented here; none adds a fact that no source or reviewed list gives):

1. Source ids: ``S-`` plus the URL's host as a slug, numbered from -2 when a host repeats, in the
   order of the READMEs' source lists (first set first, so its ids never change).
2. Source kinds, publishers, dates and original outlets come from the reviewed list
   ``tools/source_kinds.csv`` (one judgement per source, with its reason, which becomes the
   source's note); titles are the READMEs' one-line descriptions of each source.
3. Actors: names with a qualifier, a province prefix, a short name or an editorial gloss
   (今…/原…) are the base unit (see the tables below); glosses become alternative labels.
4. GB/T 2260 codes and parent units come from the code list (``S-china-area-data``), matched in
   ``tools/regions_codes_lookup.csv``; a unit's parent is the unit whose code is its
   ``parent_code`` (the municipality for a municipality's districts and counties); where the code
   list gives none (or a row names a unit between the unit and its province), the reference's
   ``recipient_parent_zh``, a hospital's name, or the unit a
   scoped name lies in.
5. Levels follow the code's form: XXYY01–20 district, XXYY81–99 and XX90ZZ county-city, other
   county-level codes county; prefecture-level units keep city or prefecture; XPCC regiments are
   xpcc-regiment, ranches and farms xpcc-ranch.
6. Two actors with one code are one unit: the other id goes to ``merges.csv`` (``MERGES``).
7. Historical units (``HISTORICAL``): the label is the name the pairing's source uses at its
   start, today's name from the code list is an alternative label, and the note says which is
   which and that the code is today's unit's.
8. Actor confidence: the lowest of (a) its existence, the highest confidence among the rows that
   name it, and (b) each stated attribute at the confidence of the row or list that gives it: the
   label (the rows naming it), the code (the code list: high), the parent (the code list: high; a
   row's ``recipient_parent_zh`` or a scoped or prefixed name: that row's confidence; a hospital's
   name: medium).  ``label_sources``, ``parent_sources`` and ``code_sources`` name the sources.
9. Corrections (``tools/reference_corrections.csv``): single values changed or sources added where
   a source cited in the second set supports it; each has its note, appended to the row's note.
10. Year bases: a start year is ``stated`` unless every dated source of the row is dated two or more
   years after it (``later-source``) or ``tools/year_bases.csv`` says otherwise (``anniversary``,
   ``continued`` with its reason).  Programmes replaced by a later round (``REPLACED``) end and name
   their successor.
11. Figures: measures get the vocabulary's notations (``MEASURES``); "more than" is ``at_least``,
   "approx."/"nearly" ``approximate``; the unit's other words and a supporter's scope become
   ``scope_en``; since/as-of years are read from the period only where it gives them.
12. Notes speak to users: sentences about how the reference was compiled are dropped or replaced
   by the reviewed text in ``tools/note_rewrites.csv``.
13. Rows left out, with the reason, are listed in ``EXCLUDED``.
14. A row whose sources are all of kind fiction-forum (web fiction, forums, Q&A pages) is ``low``.
15. Bilateral agreements and local plans that a row attaches to a whole programme govern the
   pairings between their parties (the units a plan is made for) and the units within them
   (``NARROWED``); agreements that every supporting unit
   signed with the recipient's government name the units their source names (``PARTIES_ONLY``).
   In-force dates are those a hard-law work's own text states (``IN_FORCE``).
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
    "福建省（10家省属医院）": "福建省",
    "上海市（三甲医院组团）": "上海市",
    "大连市（医疗人才组团式支援队）": "大连市",
}
# Short names used by some sources for the same province-level unit.
SHORT_NAMES = {
    "北京": "北京市",
    "天津": "天津市",
    "上海": "上海市",
    "重庆": "重庆市",
    "河北": "河北省",
    "山西": "山西省",
    "辽宁": "辽宁省",
    "吉林": "吉林省",
    "黑龙江": "黑龙江省",
    "江苏": "江苏省",
    "浙江": "浙江省",
    "安徽": "安徽省",
    "福建": "福建省",
    "江西": "江西省",
    "山东": "山东省",
    "河南": "河南省",
    "湖北": "湖北省",
    "湖南": "湖南省",
    "广东": "广东省",
    "广西": "广西壮族自治区",
    "海南": "海南省",
    "四川": "四川省",
    "贵州": "贵州省",
    "云南": "云南省",
    "陕西": "陕西省",
    "甘肃": "甘肃省",
    "青海": "青海省",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
    "西藏": "西藏自治区",
    "内蒙古": "内蒙古自治区",
}
# A city or district named with its province-level unit in front (山西省晋中市)
# is the city (晋中市) within that unit.
PREFIXED = re.compile(r"^(?P<prov>[^（]{2,7}?(?:省|市|自治区))(?P<rest>[^（]{2,}(?:市|(?<!地)区|县))$")
# Editorial glosses of the reference (今…/原…) become alternative labels.
GLOSS = re.compile(r"^(?P<base>[^（]+)（(?P<gloss>(?:今|原)[^）]*)）$")
# Glosses that are not a name of the unit: what the source writes (原文作…), or a list (原…等).
NOT_A_NAME = re.compile(r"^原文|等$")
# A unit the source names by a short or mistaken name (PR-0152's source writes 甘南市 for the
# autonomous prefecture): the unit's name.
SOURCE_NAMES = {"甘南": "甘南藏族自治州"}
EN_NAMES = {"甘南藏族自治州": "Gannan Tibetan Autonomous Prefecture"}
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
    "平凉市": "Pingliang City",
    "兰州市": "Lanzhou City",
    "庆阳市": "Qingyang City",
    "宜昌市": "Yichang City",
    "新疆生产建设兵团第六师": "XPCC 6th Division",
    "阿里地区": "Ngari Prefecture",
    "雅安市": "Ya'an City",
}
# Hospitals whose name says where they belong (a provincial hospital, a city's hospital).
HOSPITAL_PARENTS = {
    "南京医科大学第一附属医院（江苏省人民医院）": "江苏省",
    "南京市儿童医院": "南京市",
    "河北医科大学第三医院": "河北省",
    "首都医科大学附属北京天坛医院": "北京市",
    "北京友谊医院": "北京市",
    "上海交通大学医学院附属仁济医院": "上海市",
    "北京协和医院": "北京市",
    "河南省人民医院等（四所大学及省医院）": "河南省",
}
# Short names the sources themselves use (the PR-0155 source: 银发专家进克州).
SHORT_LABELS = {"克孜勒苏柯尔克孜自治州": "克州"}
PARENT_LEVEL = {
    "和田地区": "prefecture",
    "喀什地区": "prefecture",
    "阿勒泰地区": "prefecture",
    "阿坝藏族羌族自治州": "prefecture",
    "西藏自治区": "province",
    "绵阳市": "city",
    "广元市": "city",
    "德阳市": "city",
    "成都市": "city",
    "雅安市": "city",
    "南京市": "city",
    "平凉市": "city",
    "兰州市": "city",
    "庆阳市": "city",
    "宜昌市": "city",
}
LEVEL_KIND = {
    "province": ("region-government", "province"),
    "municipality": ("region-government", "municipality"),
    "city": ("region-government", "city"),
    "prefecture": ("region-government", "prefecture"),
    "county": ("region-government", "county"),
    "development-zone": ("region-government", "development-zone"),
    "XPCC-division": ("xpcc-unit", "xpcc-division"),
    "district": ("region-government", "district"),
    "county-city": ("region-government", "county-city"),
    "hospital": ("hospital", "institution"),
}
# Bilateral and provincial instruments that the reference attaches to a whole
# programme apply to the pairings between their parties (README: governance).
NARROWED = {
    "I-TJ-HN-AGR": {"parties": ["天津市", "黄南藏族自治州"]},
    "I-BJ-ACT": {"parties": ["北京市", "和田地区"]},  # widened by a correction (its title names the 14th Division)
    "I-HB-PLAN": {"parties": ["河北省"]},
    "I-TJ-GS-2021-AGR": {"parties": ["天津市", "甘肃省"]},
    "I-SD-GS-2021-AGR": {"parties": ["山东省", "甘肃省"]},
    "I-GD-GZ-2021-AGR": {"parties": ["广东省", "贵州省"]},  # signed by the two provinces' paired cities
    "I-TJ-CD-2017-AGR": {"parties": ["天津市", "承德市"]},  # signed by Tianjin districts and Chengde counties
    # local plans: they govern the pairings of the units they are made for (no parties: not agreements)
    "I-WX-HC-PLAN": {"parties": ["无锡市", "霍城县"], "plan": True},  # Wuxi/Jiangyin's plan for Huocheng
    "I-SZ-BJ-1997": {"parties": ["深圳市", "毕节市"], "plan": True},  # Shenzhen's plan for aid to Bijie
}
# In-force dates that a hard-law work's own text states (its final article), from the source holding
# that text: the Regional Ethnic Autonomy Law, Art. 74 ("自1984年10月1日起施行"); the Wenchuan
# Regulations, Art. 80 ("自公布之日起施行"), promulgated on 2008-06-08.
IN_FORCE = {"I-REAL": "1984-10-01", "I-WCREG": "2008-06-08"}
# Agreements signed by every supporting unit of a programme with the recipient's government: their
# parties are the units the source names, and they govern the programme as a whole.
PARTIES_ONLY = {"I-YS-2010-AGR": ["北京市", "辽宁省", "青海省"]}


# Issuers named by the reference's ``issuer`` column, as actors.  The Chinese
# names are the standard names of these organs and persons.
ISSUER_ACTORS = {
    "npc": ("全国人民代表大会", "National People's Congress", "state-organ"),
    "npc-standing-committee": (
        "全国人民代表大会常务委员会",
        "Standing Committee of the National People's Congress",
        "state-organ",
    ),
    "state-council": ("国务院", "State Council", "state-organ"),
    "general-office-of-the-state-council": ("国务院办公厅", "General Office of the State Council", "state-organ"),
    "ministry-of-civil-affairs": ("民政部", "Ministry of Civil Affairs", "ministry"),
    "national-health-and-family-planning-commission": (
        "国家卫生和计划生育委员会",
        "National Health and Family Planning Commission",
        "ministry",
    ),
    "cpc-central-committee": ("中共中央", "CPC Central Committee", "party-organ"),
    "general-office-of-the-cpc-central-committee": (
        "中共中央办公厅",
        "General Office of the CPC Central Committee",
        "party-organ",
    ),
    "organization-department-of-the-cpc-central-committee": (
        "中共中央组织部",
        "Organization Department of the CPC Central Committee",
        "party-organ",
    ),
    "xi-jinping": ("习近平", "Xi Jinping", "person"),
    "zhang-gaoli": ("张高丽", "Zhang Gaoli", "person"),
    "yu-zhengsheng": ("俞正声", "Yu Zhengsheng", "person"),
    "wang-yang": ("汪洋", "Wang Yang", "person"),
    "wang-huning": ("王沪宁", "Wang Huning", "person"),
}
ISSUERS = {
    "I-CONST": ["npc"],
    "I-REAL": ["npc", "npc-standing-committee"],
    "I-WCREG": ["state-council"],
    "I-WC-PLAN": ["general-office-of-the-state-council"],
    "I-WC-MCA": ["ministry-of-civil-affairs"],
    "I-WC-DECISION": ["cpc-central-committee"],
    "I-BORDER-1979": ["cpc-central-committee"],
    "I-TB-F3": ["cpc-central-committee", "state-council"],
    "I-TB-F5": ["cpc-central-committee", "state-council"],
    "I-TB-F6": ["cpc-central-committee", "state-council"],
    "I-TB-F7": ["cpc-central-committee", "state-council"],
    "I-TB-20Y": ["yu-zhengsheng", "zhang-gaoli"],
    "I-TB-MED-2015": [
        "organization-department-of-the-cpc-central-committee",
        "national-health-and-family-planning-commission",
    ],
    "I-XJ-CONF-2010": ["cpc-central-committee", "state-council"],
    "I-XJ-SYM-2010": ["cpc-central-committee", "state-council"],
    "I-XJ-SYM-2014": ["cpc-central-committee"],
    "I-XJ-SYM-2014-XI": ["xi-jinping"],
    "I-XJ-SYM-2020": ["cpc-central-committee"],
    "I-XJ-CONF-5": ["zhang-gaoli", "yu-zhengsheng"],
    "I-XJ-CONF-7": ["wang-yang"],
    "I-XJ-CONF-10": ["wang-huning"],
    "I-XJ-1996": ["cpc-central-committee"],
    "I-EW-1996": ["cpc-central-committee", "state-council"],
    "I-EW-2016": ["general-office-of-the-cpc-central-committee", "general-office-of-the-state-council"],
    "I-HB-PLAN": ["hebei"],
    "I-TJ-HN-AGR": ["tianjin", "huangnan-tibetan-ap"],
    "I-BJ-ACT": ["beijing"],
}
FORMS = {
    "I-WC-PLAN": "programme",
    "I-WC-MCA": "notice",
    "I-WC-DECISION": "decision",
    "I-BORDER-1979": "conference",
    "I-TB-F3": "conference",
    "I-TB-F5": "conference",
    "I-TB-F6": "conference",
    "I-TB-F7": "conference",
    "I-TB-20Y": "speech",
    "I-4PROV-2014": "plan",
    "I-TB-MED-2015": "programme",
    "I-XJ-CONF-2010": "conference",
    "I-XJ-SYM-2010": "conference",
    "I-XJ-SYM-2014": "conference",
    "I-XJ-SYM-2014-XI": "speech",
    "I-XJ-SYM-2020": "conference",
    "I-XJ-CONF-5": "speech",
    "I-XJ-CONF-7": "speech",
    "I-XJ-CONF-10": "speech",
    "I-XJ-1996": "decision",
    "I-EW-1996": "decision",
    "I-EW-2016": "opinion",
    "I-HB-PLAN": "plan",
    "I-TJ-HN-AGR": "agreement",
    "I-BJ-ACT": "project-launch",
}
CODE_SOURCE = {
    "id": "S-china-area-data",
    "title": "China administrative division codes (v5/data.json): the National Bureau of Statistics' 2019 "
    "statistical division codes, whose six-digit codes follow GB/T 2260",
    "url": "https://github.com/airyland/china-area-data/blob/8e72291e9b3d024f93fc07d95b0974df71d4a458/v5/data.json",
    "publisher": "airyland/china-area-data (GitHub), from the National Bureau of Statistics",
    "kind": "dataset",
    "note": "Used for GB/T 2260 codes and the parent unit of regions.",
}
# A source the additions' suggested corrections cite inside their text, not in their source list.
EXTRA_SOURCES = [
    (
        "http://www.eaagc.icu/news/6871.html",
        "Liaowang interview (2010) via a mirror: cites the 1979 central document No. 52",
    )
]
DATE = re.compile(r"^(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)\s*(?:\((?P<note>[^)]*)\))?$")

# A prefecture-level city in front of a district's or county-level city's name (南京市江宁区).
PREFIX_CITIES = {"南京市", "常州市"}
# Two ids for one unit (one code): the retired id, the survivor, and why.
MERGES = {
    "beichuan-county": (
        "beichuan-qiang-ac",
        "北川县, the name used by the May 2008 notice, is 北川羌族自治县: one county, code 510726 in the code list.",
    ),
    "yushu-county": (
        "yushu-city",
        "玉树县, the name the 2010 sources use, is the county that became 玉树市; "
        "the code list gives 玉树市, code 632701.",
    ),
    "bijie-prefecture": (
        "bijie-city",
        "毕节地区, the name the sources of the 1996 pairing use, is the unit that became 毕节市; "
        "the code list gives 毕节市, code 520500.",
    ),
}
# Units whose name changed after the pairing began: the label is the name the pairing's source
# uses, today's name (from the code list) an alternative label.
HISTORICAL = {
    "pi-county": (
        "郫都区",
        "郫县 is the name the 2008 sources use; the code list (2019) gives the unit as 郫都区, whose code this is.",
    ),
    "xpcc-13th-division": (
        "",
        "A source gives 新星市 as the division's city; the code list (2019) does not list 新星市, so the "
        "city dates from after 2019. The 2010 pairing is with the division.",
    ),
}
# XPCC units by the kind of unit their name ends with.
XPCC_LEVELS = (("团", "xpcc-regiment"), ("牧场", "xpcc-ranch"), ("农场", "xpcc-ranch"))
# Programmes replaced by a later round, as the programmes' sources say.
REPLACED = {
    "P-XJ-1997": "P-XJ-2010",  # "replaced by the 2010 new round" (its note and sources)
    "P-XJ-2005": "P-XJ-2010",  # "Replaced by the 2010 round"
    "P-EW-1996": "P-EW-2016",  # the 2016 adjustment
    "P-EW-2016": "P-EW-2021",  # the 2021 re-pairing (a correction gives the source)
    "P-GZ-2013": "P-EW-2016",  # "the 2016 East-West guidance superseded it"
    "P-WC-2008-RELIEF": "P-WC-2008",  # "The 11 Jun 2008 plan replaced this set of pairs"
}
# Measures of the figures, as the vocabulary names them.
MEASURES = {
    "funds_cny": "funds-cny",
    "funds_cny_planned": "funds-cny-planned",
    "funds_cny_per_county_year": "funds-cny-per-county-year",
    "cadres_sent": "cadres-sent",
    "doctors_sent": "doctors-sent",
    "projects": "projects",
    "hospitals": "hospitals-involved",
    "local_staff_trained": "local-staff-trained",
    "counties_paired": "counties-paired",
    "counties_helped": "counties-helped",
    "county_pairs": "county-pairs",
    "units_assessed": "units-assessed",
}
# Figures whose subject is a supporter named in free text: the actor, or the programme whose
# supporters the text names.
FIGURE_SUBJECTS = {
    "国家电网有限公司": ("state-grid", "国家电网有限公司", "State Grid Corporation of China", "work-unit"),
    "19个援疆省市": ("P-XJ-2010", "", "the 19 provinces and cities aiding Xinjiang", ""),
}
# Reference rows left out of the tables, with the reason.
EXCLUDED = {
    ("figures", "F-0081"): "Its value is a list of units (9 provinces + 13 cities in the east; 12 provinces + "
    "14 cities/prefectures in the west), not one number.",
}
# Sentences of the reference notes that speak about the compilation, not about the sources.
COMPILATION = re.compile(
    r"\s*(?:Fills README gap \d+\.|\(see the README of this folder\)|Verify(?: before use)?\.|"
    r"Check this\.|check it against the case study\.)",
    re.I,
)


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


def sources_from_readme(readmes: list[str], extra: list[tuple[str, str]] = ()) -> OrderedDict[str, dict]:
    """Source ids for the URLs listed in the READMEs' source lists, in order: the first set's URLs
    first (their ids never change), then each new URL of the next set.  A URL listed twice keeps the
    id and description of its first listing.  The id is ``S-`` plus the host as a slug, numbered from
    -2 on when the host repeats."""
    out: OrderedDict[str, dict] = OrderedDict()
    used: set[str] = set()
    listed = [pair for readme in readmes for pair in re.findall(r"^- (\S+) — (.+)$", readme, re.M)]
    for url, desc in listed + list(extra):
        if url in out:
            continue
        host = re.sub(r"^https?://", "", url).split("/")[0].split(":")[0]
        host = re.sub(r"^(www|m|big5|en)\.", "", host)
        base = "S-" + slug(host)
        sid, n = base, 2
        while sid in used:
            sid, n = f"{base}-{n}", n + 1
        used.add(sid)
        publisher, _, title = desc.partition(": ")
        out[url] = {
            "id": sid,
            "title": title or desc,
            "url": url,
            "publisher": publisher,
            "kind": "web-page",
            "_desc": desc,
        }
    return out


RANK = {"low": 0, "medium": 1, "high": 2}


def lowest(*levels: str) -> str:
    return min((lv for lv in levels if lv), key=RANK.__getitem__, default="")


def highest(*levels: str) -> str:
    return max((lv for lv in levels if lv), key=RANK.__getitem__, default="")


def join(*parts: str) -> str:
    return ";".join(dict.fromkeys(x for p in parts for x in p.split(";") if x))


def user_note(text: str) -> str:
    text = text.replace("Only one source read", "One source only")
    return re.sub(r"\s{2,}", " ", COMPILATION.sub("", text)).strip()


def level_of_code(code: str, level: str, label: str) -> str:
    """The level a county-level code's form says (rule 5); other levels are kept."""
    if not code or code.endswith("0000"):
        return level
    if code.endswith("00"):
        return level if level in ("city", "prefecture") else ("city" if label.endswith("市") else "prefecture")
    if code[2:4] == "90" or 81 <= int(code[4:]) <= 99:
        return "county-city"
    if 1 <= int(code[4:]) <= 20:  # a prefecture's county-level city also takes these numbers (和田市 653201)
        return "district" if label.endswith("区") else "county-city" if label.endswith("市") else "county"
    return "county"


def figure_years(period: str) -> tuple[str, str]:
    """since_year and as_of_year where the period text gives them (rule 11)."""
    m = re.match(r"^(\d{4})(?:-\d{2})?(?:\s*(?:-|to)\s*(?:(\d{4})(?:-\d{2})?)?)?(?:\s|$|\()", period)
    if m:
        since, until = m[1], m[2] or ""
        if not re.match(r"^\d{4}(?:-\d{2})?\s*(?:-|to)", period):
            until = since  # a single year
        return since, until
    m = re.match(r"^(\d{4})-c\.\d{4}", period)  # an approximate end: only the start is given
    if m:
        return m[1], ""
    m = re.search(r"(?:^|\s)to (\d{4})", period) or re.match(r"^c\.\d{4}-(\d{4})", period)
    return ("", m[1]) if m else ("", "")


def main(ref: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    add = ref / "additions"
    tools = Path(__file__).parent
    # our English for the supporter details (the qualifier in brackets): tools/supporter_details_en.csv
    details_en = {t["supporter_detail"]: t["supporter_detail_en"] for t in read(tools / "supporter_details_en.csv")}
    srcs = sources_from_readme(
        [(ref / "README.md").read_text(encoding="utf-8"), (add / "README.md").read_text(encoding="utf-8")],
        EXTRA_SOURCES,
    )
    kinds = {r["id"]: r for r in read(tools / "source_kinds.csv")}
    for s in srcs.values():
        k = kinds[s["id"]]
        s.update(
            title=re.sub(
                r" \((?:partial|date not shown) in the excerpt\)| \(weak source; used only where nothing "
                r"else was found\)",
                "",
                s.pop("_desc"),
            ),
            kind=k["kind"],
            publisher=k["publisher"],
            date=k["date"],
            original_outlet=k["original_outlet"],
            note=k["reason"],
        )
    code_kind = kinds[CODE_SOURCE["id"]]
    code_source = dict(
        CODE_SOURCE,
        kind=code_kind["kind"],
        original_outlet=code_kind["original_outlet"],
        note=code_kind["reason"] + " Matches are listed in tools/regions_codes_lookup.csv.",
    )
    source_date = {s["id"]: s["date"] for s in srcs.values()}
    source_kind = {s["id"]: s["kind"] for s in srcs.values()}

    def src_ids(field: str) -> str:
        return ";".join(srcs[u.strip()]["id"] for u in field.split(" ; ") if u.strip())

    programmes = read(ref / "programs.csv") + read(add / "programs.csv")
    pairings = read(ref / "pairings.csv") + read(add / "pairings.csv")
    instruments = read(ref / "instruments.csv") + read(add / "instruments.csv")
    figures = read(add / "figures.csv")
    rewrites = {r["id"]: r["note"] for r in read(tools / "note_rewrites.csv")}
    bases = {r["id"]: r for r in read(tools / "year_bases.csv")}

    # ---- corrections (rule 9), applied to the reference rows -------------------
    rows_by_id = {r["id"]: r for r in programmes + pairings + instruments}
    for c in read(tools / "reference_corrections.csv"):
        r = rows_by_id[c["id"]]
        r.setdefault("_notes", []).append(c["note"])
        if c["add_sources"]:
            r["source_url"] = " ; ".join(
                dict.fromkeys(
                    [u.strip() for u in r["source_url"].split(" ; ")]
                    + [u.strip() for u in c["add_sources"].split(" ; ")]
                )
            )
        if c["column"] in ("source", "note"):
            continue
        r.setdefault("_set", {})[c["column"]] = c["value"]
        if c["column"] in r:
            r[c["column"]] = c["value"]

    def note_of(r: dict, note: str | None = None) -> str:
        text = rewrites.get(r["id"], user_note(r.get("note", "") if note is None else note))
        return " ".join(filter(None, [text, *r.get("_notes", [])]))

    # ---- actors -------------------------------------------------------------
    actors: OrderedDict[str, dict] = OrderedDict()
    by_zh: dict[str, str] = {}
    actor_sources: defaultdict[str, list[str]] = defaultdict(list)
    named_conf: defaultdict[str, list[str]] = defaultdict(list)  # confidence of each row naming the actor
    parent_given: dict[str, tuple[str, str]] = {}  # actor -> (confidence, sources) of the parent's statement

    def canonical_zh(name: str) -> tuple[str, str]:
        name = QUALIFIED_SUPPORTERS.get(name, name)
        name = SHORT_NAMES.get(name, name)
        m = PREFIXED.match(name)
        if m and (m["prov"] in SHORT_NAMES.values() or m["prov"] in PREFIX_CITIES):
            return m["rest"], ""
        m = GLOSS.match(name) or ALIAS.match(name)
        if m:
            base = SOURCE_NAMES.get(m["base"], m["base"])
            return base, "" if NOT_A_NAME.search(m["gloss"]) else m["gloss"]
        return name, ""

    def actor(name_zh: str, name_en: str, level: str, src: str, conf: str) -> str:
        base, gloss = canonical_zh(name_zh)
        if base in by_zh:
            aid = by_zh[base]
        else:
            kind, lvl = LEVEL_KIND[level] if level else ("region-government", "")
            en = re.sub(
                r"\s*\((?:8 provincial|19 grade|group|medical aid team|aid doctors|mainly|10 provincial|"
                r"tertiary-A|group-style|formerly |now |source says)[^)]*\)",
                "",
                name_en,
            ).strip()
            aid = slug(en, keep_brackets="（" in base)
            en = EN_NAMES.get(base, en)  # (the id stays the slug of the row's own English name)
            if aid in actors:
                aid = f"{aid}-{lvl or kind}"
            actors[aid] = {
                "id": aid,
                "label_zh": base,
                "label_en": en,
                "kind": kind,
                "level": lvl,
                "alt_labels_zh": gloss,
                "parent": "",
                "gb_code": "",
                "note": "",
            }
            by_zh[base] = aid
        m = PREFIXED.match(QUALIFIED_SUPPORTERS.get(name_zh, SHORT_NAMES.get(name_zh, name_zh)))
        if m and m["prov"] in by_zh and not actors[aid]["parent"] and by_zh[m["prov"]] != aid:
            actors[aid]["parent"] = by_zh[m["prov"]]
            parent_given[aid] = (conf, src)
        if gloss and not actors[aid]["alt_labels_zh"]:
            actors[aid]["alt_labels_zh"] = gloss
        for s in src.split(";"):
            if s and s not in actor_sources[aid]:
                actor_sources[aid].append(s)
        named_conf[aid].append(conf)
        return aid

    def resolve_parent(name: str) -> str | None:
        if not name:
            return None
        name = canonical_zh(name)[0]
        if name in by_zh:
            return by_zh[name]
        for a in actors.values():  # a parent named by its current name (今…/原…)
            if a["alt_labels_zh"][1:] == name or a["alt_labels_zh"] == name:
                return a["id"]
        return None

    pr_rows = []
    for r in pairings:
        s = src_ids(r["source_url"])
        sup = actor(r["supporter_zh"], r["supporter_en"], r["supporter_level"], s, r["confidence"])
        rec = actor(r["recipient_zh"], r["recipient_en"], r["recipient_level"], s, r["confidence"])
        sup = MERGES.get(sup, (sup,))[0]
        rec = MERGES.get(rec, (rec,))[0]
        detail = ""
        if r["supporter_zh"] in QUALIFIED_SUPPORTERS:
            detail = r["supporter_zh"][r["supporter_zh"].index("（") + 1 : -1]
        pr_rows.append(
            {
                "id": r["id"],
                "programme": r["program_id"],
                "supporter": sup,
                "recipient": rec,
                "supporter_detail": detail,
                "supporter_detail_en": details_en.get(detail, ""),
                "fields": ";".join(f.strip() for f in r["field"].split(";")),
                "start_year": r["start_year"],
                "end_year": r.get("_set", {}).get("end_year", ""),
                "sources": s,
                "confidence": r["confidence"],
                "note": note_of(r),
                "_parent_zh": r["recipient_parent_zh"],
                "_ref": r,
            }
        )
    # parents named only as recipient_parent_zh become actors too
    parent_levels = {"新疆生产建设兵团": ("xpcc-unit", "xpcc-corps")}
    for row in pr_rows:
        pz = row.pop("_parent_zh")
        if not pz:
            continue
        pid = resolve_parent(pz)
        if pid is None:
            base = canonical_zh(pz)[0]
            kind, lvl = parent_levels.get(
                base,
                ("xpcc-unit", "xpcc-division") if base.startswith("新疆生产建设兵团") else ("region-government", ""),
            )
            pid = actor(pz, PARENT_EN[base], "", row["sources"], row["confidence"])
            actors[pid].update(kind=kind, level=lvl or PARENT_LEVEL.get(base, ""))
        else:
            for s in row["sources"].split(";"):
                if s not in actor_sources[pid]:
                    actor_sources[pid].append(s)
            named_conf[pid].append(row["confidence"])
        rec = actors[row["recipient"]]
        if not rec["parent"] and pid != rec["id"]:
            rec["parent"] = pid
            parent_given[rec["id"]] = (row["confidence"], row["sources"])
        elif rec["parent"] == pid and rec["id"] in parent_given:
            c, s0 = parent_given[rec["id"]]
            parent_given[rec["id"]] = (highest(c, row["confidence"]), join(s0, row["sources"]))
    for row in pr_rows:  # supporting hospitals named after the unit they belong to
        pz = HOSPITAL_PARENTS.get(row["_ref"]["supporter_zh"])
        if not pz:
            continue
        pid = resolve_parent(pz) or actor(pz, PARENT_EN[pz], "", row["sources"], row["confidence"])
        actors[pid]["level"] = actors[pid]["level"] or PARENT_LEVEL.get(pz, "")
        sup = actors[row["supporter"]]
        if not sup["parent"]:
            sup["parent"] = pid
            sup["note"] = "The parent unit is read from the hospital's name."
            parent_given[sup["id"]] = ("medium", row["sources"])
        for src in row["sources"].split(";"):
            if src not in actor_sources[pid]:
                actor_sources[pid].append(src)
    for aid, a in list(actors.items()):
        m = SCOPED.match(a["label_zh"])
        base = by_zh.get(m["base"]) if m else None
        if base and base != aid:
            if not actors[base]["parent"]:
                actors[base]["parent"] = a["parent"]
                parent_given[base] = parent_given.get(aid, ("", ""))
            a["parent"] = base
            parent_given[aid] = (highest(*named_conf[aid]), ";".join(actor_sources[aid]))
            a["note"] = "A part of the unit named in brackets, as the source names it."
    for old, (new, _) in MERGES.items():  # the retired id's names and sources go to the survivor
        o, n = actors.pop(old), actors[new]
        n["alt_labels_zh"] = join(n["alt_labels_zh"], o["label_zh"])
        actor_sources[new] = list(dict.fromkeys(actor_sources[new] + actor_sources.pop(old)))
        named_conf[new] += named_conf.pop(old)
        by_zh[o["label_zh"]] = new
        for a in actors.values():
            if a["parent"] == old:
                a["parent"] = new
    # GB/T 2260 codes and parents from the code list (rules 4 and 5)
    lookup = {row["name_zh"]: row for row in read(tools / "regions_codes_lookup.csv")}
    by_code: dict[str, str] = {}
    code_of: dict[str, dict] = {}
    for name, row in lookup.items():
        base, _ = canonical_zh(name)
        aid = by_zh.get(base)
        if not row["code"] or aid is None or "（" in actors[aid]["label_zh"] or actors[aid]["gb_code"]:
            continue
        a = actors[aid]
        a["gb_code"] = row["code"]
        by_code[row["code"]] = aid
        code_of[aid] = row
        current = row["matched_name_in_source"]
        if current not in (base, name) and "今" in name + a["alt_labels_zh"]:
            a["note"] = (
                f"{base} is the name the sources use; the code is that of today's unit, {current}, in the code list."
            )
    code_sources: dict[str, str] = {}
    for aid, row in code_of.items():
        a = actors[aid]
        code_sources[aid] = CODE_SOURCE["id"]
        if row["parent_code"] in ("", "86"):
            continue
        parent = by_code.get(row["parent_code"])
        if parent is None and row["parent_code"][:2] + "0000" in by_code:
            prov = by_code[row["parent_code"][:2] + "0000"]
            if actors[prov]["level"] == "municipality" or row["code"][2:4] == "90":
                parent = prov
        current = actors[a["parent"]] if a["parent"] else None
        if current and current["level"] not in ("province", "municipality", "") and current["id"] != parent:
            continue  # a row names a unit between the unit and its province (阿勒泰地区 within 伊犁哈萨克自治州)
        if parent and parent != aid and a["parent"] != parent:
            a["parent"] = parent
            parent_given[aid] = ("high", CODE_SOURCE["id"])
        elif parent == a["parent"] and parent:
            parent_given[aid] = ("high", join(parent_given.get(aid, ("", ""))[1], CODE_SOURCE["id"]))
    for aid, a in actors.items():
        a["level"] = level_of_code(
            a["gb_code"], a["level"], code_of[aid]["matched_name_in_source"] if aid in code_of else a["label_zh"]
        )
        if a["kind"] == "xpcc-unit" and a["level"] == "xpcc-division":
            for suffix, lvl in XPCC_LEVELS:
                if a["label_zh"].endswith(suffix):
                    a["level"] = lvl
        if a["label_zh"] == "新疆生产建设兵团第十二师" and not a["parent"]:
            a["parent"] = by_zh["新疆生产建设兵团"]
            parent_given[aid] = (highest(*named_conf[aid]), ";".join(s for s in actor_sources[aid]))
        alts = [re.sub(r"^(?:今|原)|等$", "", x) for x in a["alt_labels_zh"].split(";") if x]
        if a["label_zh"] in SHORT_LABELS:
            alts.append(SHORT_LABELS[a["label_zh"]])
        a["alt_labels_zh"] = ";".join(dict.fromkeys(alts))
        a["label_en"] = (
            re.sub(r"\s*\((?:now |formerly )[^)]*\)$", "", a["label_en"]) if a["kind"] == "xpcc-unit" else a["label_en"]
        )
    for aid, (today, note) in HISTORICAL.items():
        a = actors[aid]
        a["alt_labels_zh"] = join(a["alt_labels_zh"], today)
        a["note"] = note
        if aid.startswith("xpcc"):
            a["label_en"] = re.sub(r"\s*\([^)]*\)$", "", a["label_en"])
    for aid, a in actors.items():
        a["sources"] = ";".join(actor_sources[aid] + ([CODE_SOURCE["id"]] if a["gb_code"] else []))
        a["sources"] = join(a["sources"])
        a["label_sources"] = ";".join(actor_sources[aid])
        if a["alt_labels_zh"]:  # today's name of a historical unit is the code list's; a gloss, its rows'
            historical = aid in HISTORICAL and HISTORICAL[aid][0]
            a["alt_label_sources"] = CODE_SOURCE["id"] if historical else a["label_sources"]
        a["code_sources"] = code_sources.get(aid, "")
        a["parent_sources"] = parent_given.get(aid, ("", ""))[1] if a["parent"] else ""
        exist = highest(*named_conf[aid])
        a["confidence"] = lowest(
            exist, exist, "high" if a["gb_code"] else "", parent_given.get(aid, (exist, ""))[0] if a["parent"] else ""
        )

    # ---- programmes ---------------------------------------------------------
    pg_rows = []
    for p in programmes:
        end = p.get("_set", {}).get("end_year", p["end_year"])
        pg_rows.append(
            {
                "id": p["id"],
                "label_zh": p["name_zh"],
                "label_en": p["name_en"],
                "target_region": p["target_region"],
                "start_year": p["start_year"],
                "end_year": end,
                "start_basis": "stated" if p["start_year"] else "",
                "end_basis": "stated" if end else "",
                "replaced_by": REPLACED.get(p["id"], "") if end else "",
                "launched_by": p["launched_by"],
                "mode": p["mode"],
                "fields": ";".join(f.strip() for f in p["field"].split(";")),
                "sources": src_ids(p["source_url"]),
                "confidence": p["confidence"],
                "note": note_of(p),
            }
        )

    mode_of = {p["id"]: p["mode"] for p in pg_rows}
    for row in pr_rows:
        ref_row = row.pop("_ref")
        row["mode"] = ref_row.get("_set", {}).get("mode", mode_of[row["programme"]])
        row["start_year"] = ref_row["start_year"]
        basis = bases.get(row["id"], {})
        if row["start_year"]:
            dated = [int(source_date[s][:4]) for s in row["sources"].split(";") if source_date.get(s)]
            later = (
                bool(dated)
                and len(dated) == len(row["sources"].split(";"))
                and min(dated) >= int(row["start_year"]) + 2
            )
            row["start_basis"] = basis.get("start_basis") or ("later-source" if later else "stated")
        row["end_basis"] = basis.get("end_basis") or ("stated" if row["end_year"] else "")
        if basis.get("reason"):
            row["note"] = " ".join(filter(None, [row["note"], basis["reason"]]))
    for row in pr_rows:
        sup, rec = actors[row["supporter"]], actors[row["recipient"]]
        for other in pr_rows:
            if (
                other is not row
                and other["programme"] == row["programme"]
                and other["supporter"] == sup["parent"]
                and other["recipient"] in (row["recipient"], rec["parent"])
            ):
                row["parent"] = other["id"]
                break

    # ---- instruments and provisions ------------------------------------------
    works = {
        "I-CONST": ("中华人民共和国宪法", "Constitution of the People's Republic of China", "constitution"),
        "I-REAL": ("中华人民共和国民族区域自治法", "Law of the PRC on Regional Ethnic Autonomy", "law"),
        "I-WCREG": (
            "汶川地震灾后恢复重建条例",
            "Regulations on Wenchuan Earthquake Post-disaster Recovery and Reconstruction",
            "administrative-regulation",
        ),
    }
    ins_rows, prov_rows = [], []
    seen_work: dict[str, dict] = {}
    for r in instruments:
        s = src_ids(r["source_url"])
        if r["kind"] == "hard-law":
            wid = r["id"].rsplit("-", 1)[0]
            zh, en, typ = works[wid]
            if wid not in seen_work:
                seen_work[wid] = {
                    "id": wid,
                    "label_zh": zh,
                    "label_en": en,
                    "kind": "hard-law",
                    "type": typ,
                    "issuer_text": r["issuer"],
                    "date": r["date"],
                    "doc_number": r["doc_number"],
                    "sources": s,
                    "confidence": r["confidence"],
                }
                ins_rows.append(seen_work[wid])
            else:
                w = seen_work[wid]
                w["sources"] = join(w["sources"], s)
            prov_rows.append(
                {
                    "id": r["id"],
                    "instrument": wid,
                    "label_zh": r["title_zh"],
                    "label_en": r["title_en"],
                    "article": r["relevant_article"],
                    "issuer_text": r["issuer"],
                    "date": r["date"],
                    "summary_en": r["paraphrase"],
                    "authorizes": r["applies_to_program_ids"],
                    "sources": s,
                    "confidence": r["confidence"],
                }
            )
        else:
            doc, doc_note = r["doc_number"], ""
            ins_rows.append(
                {
                    "id": r["id"],
                    "label_zh": r["title_zh"],
                    "label_en": r["title_en"],
                    "kind": "soft-law",
                    "type": r["soft_law_type"],
                    "issuer_text": r["issuer"],
                    "date": r["date"],
                    "doc_number": doc,
                    "summary_en": r["paraphrase"],
                    "governs": r["applies_to_program_ids"],
                    "sources": s,
                    "confidence": r["confidence"],
                    "note": note_of(r, doc_note),
                    "_parties": r.get("_set", {}).get("parties", ""),
                }
            )
    issuer_sources: defaultdict[str, list[str]] = defaultdict(list)
    issuer_conf: defaultdict[str, list[str]] = defaultdict(list)
    # our Chinese summaries: reviewed translations of the English ones (tools/summaries_zh.csv); one
    # whose English has changed since it was translated is left out until it is translated again
    for t in read(tools / "summaries_zh.csv"):
        for row in ins_rows + prov_rows:
            if row["id"] == t["id"] and row.get("summary_en") == t["summary_en"]:
                row["summary_zh"] = t["summary_zh"]
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
            issuer_conf[iid].append(row["confidence"])
    for iid, (zh, en, kind) in ISSUER_ACTORS.items():
        conf = highest(*issuer_conf[iid])
        actors[iid] = {
            "id": iid,
            "label_zh": zh,
            "label_en": en,
            "kind": kind,
            "level": "centre",
            "sources": ";".join(issuer_sources[iid]),
            "label_sources": ";".join(issuer_sources[iid]),
            "confidence": conf,
            "note": "Named as an issuer by the sources of the instruments it issued.",
        }
    for iid in ("hebei", "tianjin", "huangnan-tibetan-ap", "beijing"):
        a = actors[iid]
        a["sources"] = join(a["sources"], ";".join(issuer_sources[iid]))
    def ancestry(aid: str) -> list[str]:
        """The actor and the units above it, nearest first."""
        chain: list[str] = []
        while aid and aid not in chain:
            chain.append(aid)
            aid = actors[aid]["parent"] if aid in actors else ""
        return chain

    for row in ins_rows:
        row["in_force_from"] = IN_FORCE.get(row["id"], "")
        if row["id"] in PARTIES_ONLY:
            row["parties"] = ";".join(by_zh[p] for p in PARTIES_ONLY[row["id"]])
        parties = row.pop("_parties", "").split(";") if row.get("_parties") else None
        rule = NARROWED.get(row["id"])
        if rule:
            party_ids = [by_zh[p] for p in (parties or rule["parties"])]
            prog = row["governs"].split(";")
            targets = []
            for p in pr_rows:
                if p["programme"] not in prog:
                    continue
                rec = actors[p["recipient"]]
                if party_ids[0] in ancestry(p["supporter"]) and (
                    len(party_ids) == 1 or set(ancestry(rec["id"])) & set(party_ids[1:])
                ):
                    targets.append(p["id"])
            row["governs"] = ";".join(targets)
            if not rule.get("plan"):
                row["parties"] = ";".join(party_ids)
            row["note"] = " ".join(
                filter(
                    None,
                    [
                        f"The sources attach this instrument to the programme {';'.join(prog)}; as "
                        + ("a plan made for the units it names" if rule.get("plan") else "an instrument of its parties")
                        + " it governs their pairings in that programme.",
                        row.get("note", ""),
                    ],
                )
            )

    # ---- figures -------------------------------------------------------------
    fig_rows = []
    for f in figures:
        if ("figures", f["id"]) in EXCLUDED:
            continue
        unit = f["unit"]
        at_least = "more than" in unit
        approx = bool(re.search(r"approx\.|nearly", unit))
        scope = re.sub(r"\b(?:more than|approx\.|nearly)\b[;,]?\s*", "", unit)
        scope = re.sub(r"^\S+\s*", "", scope).strip().strip("()").strip(" ,;")  # drop the unit word
        scope = re.sub(r"^\(|\)$", "", scope).strip(" ,;")
        subject = f["subject"]
        if f["subject_kind"] == "supporter":
            zh, _, en = subject.partition(" (")
            en = en.rstrip(")")
            if zh in FIGURE_SUBJECTS:
                sid, azh, aen, akind = FIGURE_SUBJECTS[zh]
                if akind and sid not in actors:
                    actors[sid] = {
                        "id": sid,
                        "label_zh": azh,
                        "label_en": aen,
                        "kind": akind,
                        "level": "",
                        "sources": src_ids(f["source_url"]),
                        "label_sources": src_ids(f["source_url"]),
                        "confidence": f["confidence"],
                        "note": "Named as a supporter of Tibet by the source of a figure.",
                    }
                subject = sid
                en = en if akind else aen
            else:
                subject = by_zh[canonical_zh(zh)[0]]
                en = re.sub(r"^[^,]+,\s*", "", en)
            scope = "; ".join(filter(None, [en, scope]))
        since, as_of = figure_years(f["year_or_period"])
        fig_rows.append(
            {
                "id": f["id"],
                "subject": subject,
                "measure": MEASURES[f["measure"]],
                "value": f["value"],
                "at_least": "true" if at_least else "false",
                "approximate": "true" if approx else "false",
                "since_year": since,
                "as_of_year": as_of,
                "period_note": f["year_or_period"],
                "scope_en": scope,
                "sources": src_ids(f["source_url"]),
                "confidence": f["confidence"],
                "note": note_of(f),
            }
        )

    # rule 14: a row resting only on web fiction, forums or Q&A pages is low
    for row in pg_rows + pr_rows + ins_rows + prov_rows + fig_rows:
        if (
            row["sources"]
            and all(source_kind.get(x) == "fiction-forum" for x in row["sources"].split(";"))
            and row["confidence"] != "low"
        ):
            row["confidence"] = "low"
            row["note"] = " ".join(
                filter(
                    None,
                    [row.get("note", ""), "Low: its only source is a web-fiction, forum or question-and-answer page."],
                )
            )

    merge_rows = [
        {"id": old, "into": new, "sources": CODE_SOURCE["id"], "confidence": "high", "note": why}
        for old, (new, why) in MERGES.items()
    ]
    write(
        out / "sources.csv",
        ["id", "title", "url", "citation", "publisher", "kind", "date", "original_outlet", "accessed", "note"],
        list(srcs.values()) + [code_source],
    )
    write(
        out / "programmes.csv",
        [
            "id",
            "label_zh",
            "label_en",
            "target_region",
            "start_year",
            "end_year",
            "start_basis",
            "end_basis",
            "replaced_by",
            "launched_by",
            "mode",
            "fields",
            "sources",
            "confidence",
            "note",
        ],
        pg_rows,
    )
    write(
        out / "actors.csv",
        [
            "id",
            "label_zh",
            "label_en",
            "kind",
            "level",
            "parent",
            "gb_code",
            "alt_labels_zh",
            "label_sources",
            "alt_label_sources",
            "parent_sources",
            "code_sources",
            "sources",
            "confidence",
            "note",
        ],
        list(actors.values()),
    )
    write(out / "merges.csv", ["id", "into", "sources", "confidence", "note"], merge_rows)
    write(
        out / "pairings.csv",
        [
            "id",
            "kind",
            "programme",
            "supporter",
            "recipient",
            "supporter_detail",
            "supporter_detail_en",
            "fields",
            "mode",
            "start_year",
            "end_year",
            "start_basis",
            "end_basis",
            "parent",
            "batch",
            "sources",
            "confidence",
            "note",
        ],
        pr_rows,
    )
    write(
        out / "instruments.csv",
        [
            "id",
            "label_zh",
            "label_en",
            "kind",
            "type",
            "form",
            "issuers",
            "issuer_text",
            "date",
            "date_note",
            "doc_number",
            "in_force_from",
            "in_force_until",
            "parties",
            "governs",
            "authorizes",
            "summary_en",
            "summary_zh",
            "sources",
            "confidence",
            "note",
        ],
        ins_rows,
    )
    write(
        out / "provisions.csv",
        [
            "id",
            "instrument",
            "label_zh",
            "label_en",
            "article",
            "date",
            "date_note",
            "summary_en",
            "summary_zh",
            "authorizes",
            "sources",
            "confidence",
            "note",
        ],
        prov_rows,
    )
    write(
        out / "figures.csv",
        [
            "id",
            "subject",
            "measure",
            "value",
            "at_least",
            "approximate",
            "since_year",
            "as_of_year",
            "period_note",
            "scope_en",
            "sources",
            "confidence",
            "note",
        ],
        fig_rows,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
