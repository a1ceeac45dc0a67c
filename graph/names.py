"""Names: how a value a person types finds one resource of the graph.

A ``NameIndex`` is built once per dataset version (by the read model, and saved with it) from the
resources' ids, labels and alternative labels, and from the ids of merged actors.  It finds a resource
by, in this order (the first rule that finds something decides; ``matched_by`` says which):

``iri``        the resource's IRI (an IRI of a merged actor: ``retired-id``);
``id``         its id, exactly (and, with the stems below, in any case and width);
``retired-id`` the id of an actor merged into another: the survivor (likewise);
``label``      its Chinese or English label (``rdfs:label``);
``alt-label``  an alternative or historical name the data gives (``skos:altLabel``: 日喀则地区, 北屯市), or
               a name the English label gives in brackets (``Moyu (Karakax) County``: Karakax);
``short-name`` an alternative name that abbreviates the label (克州 for 克孜勒苏柯尔克孜自治州);
``stem``       for a place, its name without the generic administrative words: the Chinese label without
               its suffix (省, 市, 县, 区, 地区, 自治州 … and, before 自治…, the peoples' names: 新疆, 克孜勒苏,
               北川), the English label's first words before a generic word (Kizilsu, Hotan, Pudong), and the
               label without the name of the unit above it (拉萨市城关区: 城关区, 城关); and, with these, an
               id in another case or width, so that ``Taizhou`` (the id of 台州市, the stem of 泰州市 too) is
               ambiguous rather than the city whose id it happens to be.  Last, for an actor, the name asked
               without generic words of its own (``Jiangsu Province``, ``新疆自治区``) against all of these.

Every comparison is on ``normalise``d text: Unicode NFKC (full-width letters and digits are half-width),
case-folded, quotes, apostrophes and dashes of every width made plain, runs of whitespace collapsed, and
no whitespace beside a Chinese character.  A Chinese stem of one character (理县: 理) is not a name:
those counties keep their suffix in use.

When a rule finds several resources, the one that holds all the others (a prefecture and the city and
county named after it: ``Hotan`` → Hotan Prefecture, ``和田`` → 和田地区) is the answer, with the others
in ``Match.others``; otherwise the name is ambiguous.  ``resolve`` raises ``BadParameter`` for an
unknown or ambiguous name, with up to eight candidates, the closest first.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import BadParameter

KINDS = ("actor", "programme", "instrument", "pairing", "source")
# how a name was matched, best first; alt-label and short-name are one rule (names the data gives)
MATCHED_BY = ("iri", "id", "retired-id", "label", "alt-label", "short-name", "stem")
RULE = {"label": 0, "alt-label": 1, "short-name": 1, "stem": 2}
CANDIDATES = 8  # at most this many candidates in an error
# the classes of actors whose names are places (stems are made for these)
PLACE_TYPES = ("RegionalGovernment", "XPCCUnit")

# generic words of Chinese administrative names (longest first: 地区 before 区)
ZH_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "林区",
    "特区",
    "省",
    "市",
    "县",
    "区",
    "盟",
    "旗",
)
# the peoples' names that stand before 自治区/州/县/旗 (the 55 minority peoples, with and without 族)
PEOPLES_ZH = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 "
    "裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_PEOPLES_ZH = sorted({*(p + "族" for p in PEOPLES_ZH), *(p for p in PEOPLES_ZH if len(p) > 1)}, key=len, reverse=True)
# generic words of English administrative names, and the peoples' names they carry (lower case)
GENERIC_EN = frozenset(
    "province provincial city cities county counties county-level district districts prefecture prefectures "
    "prefecture-level autonomous region regions regional area areas new municipality municipal ap ac sar special "
    "administrative league banner zone economic development directly under".split()
)
PEOPLES_EN = frozenset(
    "kirghiz kyrgyz mongol mongolian hui tibetan qiang kazakh xibe tajik tujia miao dong yi korean lisu buyei bouyei "
    "manchu tu uyghur uygur uighur zhuang yao bai hani dai li va she lahu sui dongxiang naxi jingpo daur mulao blang "
    "salar maonan gelao achang pumi nu uzbek russian ewenki deang bonan yugur gin tatar derung oroqen hezhen monba "
    "lhoba jino".split()
)
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u300c": '"',
        "\u300d": '"',
        "\u300e": '"',
        "\u300f": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u30fb": "\u00b7",
    }
)
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f"
_SPACE_BY_CJK = re.compile(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+")
_BRACKETS = re.compile(r"\s*[(（]([^()（）]*)[)）]\s*")
_LIST_PUNCTUATION = re.compile(r"[、，,;；/]")


def normalise(text: str) -> str:
    """The form names are compared in: NFKC, plain quotes and dashes, case-folded, whitespace collapsed
    (and none beside a Chinese character).

    >>> normalise("  Ｋｉｚｉｌｓｕ   KIRGHIZ ")
    'kizilsu kirghiz'
    >>> normalise("江苏 省")
    '江苏省'
    """
    text = unicodedata.normalize("NFKC", text).translate(_PLAIN).casefold()
    text = " ".join(text.split())
    return _SPACE_BY_CJK.sub("", text)


def is_chinese(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


def strip_zh(name: str) -> str:
    """A Chinese administrative name without its generic suffix (one: 杭州市 → 杭州), and, before an
    自治… suffix, without the peoples' names (克孜勒苏柯尔克孜自治州 → 克孜勒苏); the name itself when it
    has none, or when what is left would be one character.

    >>> strip_zh("新疆维吾尔自治区"), strip_zh("海西蒙古族藏族自治州"), strip_zh("内蒙古自治区"), strip_zh("理县")
    ('新疆', '海西', '内蒙古', '理县')
    """
    suffix = next((s for s in ZH_SUFFIXES if name.endswith(s) and len(name) > len(s)), None)
    if suffix is None:
        return name
    rest = name[: -len(suffix)]
    if suffix.startswith("自治"):
        changed = True
        while changed:
            changed = False
            for people in _PEOPLES_ZH:
                if rest.endswith(people) and len(rest) - len(people) >= 2:
                    rest, changed = rest[: -len(people)], True
                    break
    return rest if len(rest) >= 2 else name


def lead_en(name: str) -> str:
    """The first words of an English name before a generic word or a people's name (the first word
    always): ``Kizilsu Kirghiz Autonomous Prefecture`` → ``Kizilsu``."""
    words = name.split()
    lead = words[:1]
    for word in words[1:]:
        if word.casefold() in GENERIC_EN or word.casefold() in PEOPLES_EN:
            break
        lead.append(word)
    return " ".join(lead)


def brackets(label: str) -> tuple[str, list[str]]:
    """A label without its bracketed parts, and those parts."""
    parts = [m.group(1).strip() for m in _BRACKETS.finditer(label)]
    return " ".join(_BRACKETS.sub(" ", label).split()), parts


def is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


@dataclass(frozen=True)
class Named:
    """What the index needs of a resource: its IRI, kind, id, labels, alternative labels, classes'
    local names, level and parent (an IRI)."""

    iri: str
    kind: str
    id: str
    label_zh: str
    label_en: str
    alt_labels: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    level: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class Match:
    """A name resolved: the IRI, the rule that found it (``MATCHED_BY``), and the other resources the
    name also names (the units below the answer, when it was chosen as the one that holds them)."""

    iri: str
    matched_by: str
    others: tuple[str, ...] = ()


@dataclass
class NameIndex:
    """The names of the resources of ``KINDS`` (see the module's description); plain dictionaries, so
    that it is saved with the read model."""

    kind_of: dict[str, str] = field(default_factory=dict)  # IRI → kind
    parent: dict[str, str] = field(default_factory=dict)  # IRI → the IRI of the unit above it
    ids: dict[str, set[str]] = field(default_factory=dict)  # id → IRIs
    folded_ids: dict[str, set[str]] = field(default_factory=dict)  # normalised id → IRIs
    retired: dict[str, str] = field(default_factory=dict)  # retired IRI → survivor's IRI
    retired_ids: dict[str, set[str]] = field(default_factory=dict)  # retired id → survivors' IRIs
    retired_folded: dict[str, set[str]] = field(default_factory=dict)  # normalised retired id → survivors' IRIs
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # normalised name → {IRI: matched_by}

    @classmethod
    def build(cls, resources: Iterable[Named], merged: Mapping[str, str]) -> NameIndex:
        """The index of ``resources`` (those of other kinds are left out) and of the retired IRIs of
        ``merged`` (old IRI → survivor's IRI)."""
        index = cls()
        named = {r.iri: r for r in resources if r.kind in KINDS}
        for r in named.values():
            index.kind_of[r.iri] = r.kind
            if r.parent:
                index.parent[r.iri] = r.parent
            index.ids.setdefault(r.id, set()).add(r.iri)
            index.folded_ids.setdefault(normalise(r.id), set()).add(r.iri)
        for old, new in merged.items():
            seen = {old}
            while new in merged and new not in seen:  # a survivor merged in turn
                seen.add(new)
                new = merged[new]
            if new in named:
                index.retired[old] = new
                index.retired_ids.setdefault(old.rsplit("/", 1)[-1], set()).add(new)
                index.retired_folded.setdefault(normalise(old.rsplit("/", 1)[-1]), set()).add(new)
        derived: dict[str, set[str]] = {}  # IRI → every normalised name of it (ancestors' names strip prefixes)

        def names_of(iri: str, trail: frozenset[str] = frozenset()) -> set[str]:
            if iri in derived:
                return derived[iri]
            r = named.get(iri)
            if r is None or iri in trail:
                return set()
            above: set[str] = set()
            node, seen = r.parent, {iri}
            while node and node not in seen and node in named:
                seen.add(node)
                above |= names_of(node, trail | {iri})
                node = named[node].parent
            derived[iri] = index._add(r, above)
            return derived[iri]

        for iri in named:
            names_of(iri)
        return index

    def _add(self, r: Named, above: set[str]) -> set[str]:
        """Index the names of one resource (``above``: the normalised names of the units above it);
        return them."""
        mine: set[str] = set()

        def add(name: str, how: str) -> None:
            key = normalise(name)
            if not key:
                return
            mine.add(key)
            found = self.names.setdefault(key, {})
            if r.iri not in found or RULE[how] < RULE[found[r.iri]]:
                found[r.iri] = how

        for label in (r.label_zh, r.label_en):
            if label:
                add(label, "label")
        shortest = min((len(x) for x in (r.label_zh, r.label_en) if x), default=0)
        for alt in r.alt_labels:
            short = len(alt) < shortest and any(is_subsequence(alt, x) for x in (r.label_zh, r.label_en) if x)
            add(alt, "short-name" if short else "alt-label")
        if r.kind != "actor" or not any(t in PLACE_TYPES for t in r.types):
            return mine
        full = {normalise(x) for x in (r.label_zh, r.label_en, *r.alt_labels) if x}
        for name in (r.label_zh, *r.alt_labels):
            if name and is_chinese(name):
                for stem in self._stems_zh(name, above):
                    if normalise(stem) not in full:
                        add(stem, "stem")
        if r.label_en:
            bare, parts = brackets(r.label_en)
            for part in parts:  # a name in brackets (not the unit above it: "Datong (Shanxi)")
                words = part.split()
                if (
                    words
                    and len(words) <= 4
                    and not _LIST_PUNCTUATION.search(part)
                    and all(w[0].isupper() or w[0].isdigit() for w in words)
                    and normalise(part) not in above
                ):
                    add(part, "alt-label")
            for stem in self._stems_en(bare, above):
                if normalise(stem) not in full:
                    add(stem, "stem")
        return mine

    @staticmethod
    def _stems_zh(name: str, above: set[str]) -> set[str]:
        bare = normalise(brackets(name)[0])
        if _LIST_PUNCTUATION.search(bare):
            return set()
        variants = {bare}
        for a in above:
            if is_chinese(a) and bare.startswith(a) and len(bare) - len(a) >= 2:
                variants.add(bare[len(a) :])
        out = set()
        for v in variants:
            out.add(v)
            out.add(strip_zh(v))
        return {s for s in out if len(s) >= 2}

    @staticmethod
    def _stems_en(bare: str, above: set[str]) -> set[str]:
        out = set()
        for segment in (s.strip() for s in bare.split(",")):
            if not segment or normalise(segment) in above:
                continue  # "Chengguan District, Lhasa": Lhasa is the unit above it
            variants = {segment}
            folded = normalise(segment)
            for a in above:
                if not is_chinese(a) and folded.startswith(a + " "):
                    variants.add(" ".join(segment.split()[len(a.split()) :]))
            for v in variants:
                out.add(v)
                out.add(lead_en(v))
        return {s for s in out if len(s) >= 2 and (s[0].isupper() or s[0].isdigit())}

    # ---- look-up -----------------------------------------------------------------------------
    def kinds(self, kind: str | tuple[str, ...] | list[str] | None, parameter: str) -> tuple[str, ...]:
        if kind is None:
            return KINDS
        wanted = (kind,) if isinstance(kind, str) else tuple(kind)
        for k in wanted:
            if k not in KINDS:
                raise BadParameter("kind", f"unknown kind '{k}' (expected one of: {', '.join(KINDS)})")
        return wanted or KINDS

    def find(self, value: str, kinds: tuple[str, ...]) -> dict[str, str]:
        """The IRIs of ``kinds`` the first rule that finds any finds, each with how (``MATCHED_BY``);
        empty when no rule finds one.  The rules: the IRI (a retired one: its survivor), the exact id (a
        retired id: its survivor), a label, an alternative or short name, then, together, a stem and an id
        in another case or width (so that ``Taizhou``, the id of one city and the stem of another, is
        ambiguous rather than the one whose id it happens to be)."""
        value = value.strip()
        key = normalise(value)

        def of(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
            found: dict[str, str] = {}
            for iri, how in pairs:
                if self.kind_of.get(iri) in kinds:
                    found.setdefault(iri, how)
            return found

        exact: list[Callable[[], Iterable[tuple[str, str]]]] = [
            lambda: [(value, "iri")] if value in self.kind_of else [],
            lambda: [(self.retired[value], "retired-id")] if value in self.retired else [],
            lambda: ((i, "id") for i in self.ids.get(value, ())),
            lambda: ((i, "retired-id") for i in self.retired_ids.get(value, ())),
        ]
        for step in exact:
            found = of(step())
            if found:
                return found
        by_name = self.names.get(key, {})
        for rule in (0, 1):  # labels, then alternative and short names
            found = of((i, how) for i, how in by_name.items() if RULE[how] == rule)
            if found:
                return found
        found = of(
            [
                *((i, "id") for i in self.folded_ids.get(key, ())),
                *((i, "retired-id") for i in self.retired_folded.get(key, ())),
                *((i, how) for i, how in by_name.items() if RULE[how] == 2),
            ]
        )
        if found or "actor" not in kinds:
            return found
        # a place's name with generic words of its own: "Jiangsu Province", "新疆自治区"
        bare = normalise(brackets(value)[0])
        stem = strip_zh(bare) if is_chinese(bare) else lead_en(bare)
        if stem == bare or len(stem) < 2:
            return {}
        by_stem = self.names.get(stem, {})
        for rule in (0, 1, 2):
            found = of((i, "stem") for i, how in by_stem.items() if RULE[how] == rule and self.kind_of[i] == "actor")
            if found:
                return found
        return {}

    def depth(self, iri: str) -> int:
        n, node, seen = 0, self.parent.get(iri), {iri}
        while node and node not in seen:
            seen.add(node)
            n, node = n + 1, self.parent.get(node)
        return n

    def order(self, iri: str) -> tuple[int, str]:
        """Candidates' order: the higher unit first, then by IRI."""
        return self.depth(iri), iri

    def holds(self, above: str, iri: str) -> bool:
        """Whether ``above`` is ``iri`` or a unit above it."""
        node: str | None = iri
        seen: set[str] = set()
        while node and node not in seen:
            if node == above:
                return True
            seen.add(node)
            node = self.parent.get(node)
        return False

    def match(self, value: str, kinds: tuple[str, ...]) -> tuple[Match | None, list[str]]:
        """(the match, []) when the name names one resource (or one that holds the others it names);
        (None, the IRIs it names) when it is ambiguous; (None, []) when it is unknown."""
        hows = self.find(value, kinds)
        found = sorted(hows, key=self.order)
        if not found:
            return None, []
        if len(found) == 1:
            return Match(found[0], hows[found[0]]), []
        top = [a for a in found if all(self.holds(a, b) for b in found)]
        if len(top) == 1:
            return Match(top[0], hows[top[0]], tuple(i for i in found if i != top[0])), []
        return None, found

    def closest(self, value: str, kinds: tuple[str, ...], limit: int = CANDIDATES) -> list[str]:
        """The IRIs of ``kinds`` whose names are nearest ``value``, best first: a name that begins with
        it, then one that holds it, then by likeness (``difflib``); none below a likeness of 0.5."""
        query = normalise(value)
        if not query:
            return []
        best: dict[str, float] = {}
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(query)
        for name, iris in self.names.items():
            wanted = [i for i in iris if self.kind_of.get(i) in kinds]
            if not wanted:
                continue
            if name.startswith(query) or query.startswith(name + " "):
                score = 3.0 - len(name) / 1000
            elif query in name or (len(name) >= max(3, len(query) // 2) and name in query):
                score = 2.0 - abs(len(name) - len(query)) / 1000
            else:
                matcher.set_seq1(name)
                if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
                    continue
                score = matcher.ratio()
                if score < 0.5:
                    continue
            for i in wanted:
                if score > best.get(i, -1.0):
                    best[i] = score
        for ident, holders in self.folded_ids.items():
            if query in ident:
                for i in holders:
                    if self.kind_of.get(i) in kinds:
                        best[i] = max(best.get(i, -1.0), 2.0 - abs(len(ident) - len(query)) / 1000)
        return sorted(best, key=lambda i: (-best[i], self.order(i)))[:limit]

    def resolve(
        self,
        kind: str | tuple[str, ...] | None,
        value: str,
        parameter: str,
        describe: Callable[[str], dict[str, Any]],
    ) -> Match:
        """The resource of ``kind`` (one or several, None for any) that ``value`` names; ``BadParameter``
        naming ``parameter`` when it names none or several, with candidates (``describe(iri)`` each)."""
        kinds = self.kinds(kind, parameter)
        what = " or ".join(kinds) if len(kinds) < len(KINDS) else "resource"
        if value is None or not value.strip():
            raise BadParameter(parameter, f"{parameter} is empty: give an id or a name")
        found, several = self.match(value, kinds)
        if found is not None:
            return found
        if several:
            shown = several[:CANDIDATES]
            ids = ", ".join(describe(i)["id"] for i in shown)
            more = f" and {len(several) - len(shown)} more" if len(several) > len(shown) else ""
            plural = f"{what}s" if what != "resource" else "resources"
            raise BadParameter(
                parameter,
                f"'{value}' is ambiguous: names {len(several)} {plural} ({ids}{more}); use an id",
                [describe(i) for i in shown],
            )
        near = self.closest(value, kinds)
        hint = f"; closest: {', '.join(describe(i)['id'] for i in near)}" if near else ""
        raise BadParameter(
            parameter, f"unknown {what} '{value}': no id, label or name matches{hint}", [describe(i) for i in near]
        )

    def named(
        self, value: str, kinds: tuple[str, ...], rules: tuple[str, ...] = ("label", "alt-label", "short-name")
    ) -> set[str]:
        """The IRIs of ``kinds`` with a name by one of ``rules`` equal to ``value`` (normalised)."""
        return {
            i
            for i, how in self.names.get(normalise(value), {}).items()
            if how in rules and self.kind_of.get(i) in kinds
        }


def from_resources(resources: Iterable[Any], merged: Mapping[str, str]) -> NameIndex:
    """The index of the read model's ``Resource`` records (anything with their attributes)."""
    return NameIndex.build(
        (
            Named(
                r.iri,
                r.kind,
                r.id,
                r.label_zh or "",
                r.label_en or "",
                tuple(r.alt_labels or ()),
                tuple(sorted(t.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in r.types)),
                r.level,
                r.parent,
            )
            for r in resources
        ),
        merged,
    )
