"""Give every located actor a representative point, from a gazetteer, into ``data/geo/``.

Run when the actors or the gazetteer change (the gazetteer is a test dependency: ``pip install -e
'.[test]'`` installs it)::

    python tools/import_points.py data

It reads the actors tables under the data folder and the gazetteer ``adcodes.csv`` that the PyPI
package ``cpca`` ships (or a file given with ``--gazetteer``), and writes ``data/geo/points.csv``,
``data/geo/sources.csv`` (the gazetteer as a source, with the package's name and version) and
``data/geo/gaps.csv`` (the units the gazetteer lacks, as known gaps).  Running it again on the same
inputs writes the same bytes.

Rules (none adds a coordinate that the gazetteer does not give):

1. A region with a GB/T 2260 code takes the gazetteer's point for that code (its first six digits),
   basis ``gazetteer``.  Confidence ``high`` when the gazetteer's name for the code is the actor's
   Chinese label or ends it (拉萨市城关区 / 城关区); ``medium`` when it names the code otherwise
   (哈密地区 / 哈密市: the note gives the gazetteer's name).
2. A region whose code the gazetteer lacks gets no point: it is a known gap (``gaps.csv``), whose note
   says what the gazetteer holds under the same name, if anything.  No point is borrowed from another
   code or a larger unit.
3. An actor without a code of its own (a hospital, a university, a part of a region, a unit of the
   XPCC) takes the point of the nearest unit above it that has a code (``parent``, then its parent),
   basis ``placed-in``: approximate.  Its confidence is the lower of its own and that unit's point's.
   If that unit has no point, neither has the actor.
4. The case study's pseudonymous actors (``pseudonym``) and the units below them get no point: the
   paper does not say where they are.  People, teams and central organs are not places.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from importlib import metadata, resources
from pathlib import Path

GAZETTEER_PACKAGE = "cpca"
SOURCE_ID = "S-cpca-adcodes"
LEVELS = ("low", "medium", "high")
NOT_PLACES = {"person", "person-group", "team", "state-organ", "party-organ", "ministry"}


def read_gazetteer(path: Path | None) -> tuple[dict[str, dict], str]:
    """The gazetteer's rows by six-digit code, and its version (the package's, or the file's name)."""
    if path is None:
        text = (resources.files(GAZETTEER_PACKAGE) / "resources" / "adcodes.csv").read_text(encoding="utf-8")
        version = metadata.version(GAZETTEER_PACKAGE)
    else:
        text, version = path.read_text(encoding="utf-8"), path.name
    rows: dict[str, dict] = {}
    for row in csv.DictReader(io.StringIO(text)):
        rows.setdefault(row["adcode"][:6], row)
    return rows, version


def read_actors(data: Path) -> list[dict]:
    actors: list[dict] = []
    for path in sorted(data.rglob("actors.csv")):
        if "build" in path.relative_to(data).parts:
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            actors.extend(csv.DictReader(fh))
    return actors


def lower(*levels: str) -> str:
    known = [level for level in levels if level in LEVELS]
    return min(known, key=LEVELS.index) if known else "medium"


GENERIC = ("自治州", "自治县", "地区", "市", "县", "区", "盟")


def stem(name: str) -> str:
    """A unit's name without its last generic word: 那曲市 and 那曲地区 are both 那曲."""
    for word in GENERIC:
        if name.endswith(word) and len(name) > len(word) + 1:
            return name[: -len(word)]
    return name


def coordinate(value: str) -> str:
    """A coordinate as the gazetteer gives it, at most six decimals (about 0.1 m), no trailing zeros."""
    return f"{float(value):.6f}".rstrip("0").rstrip(".")


def points(actors: list[dict], gazetteer: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    """The points (rules 1, 3, 4) and the gaps (rule 2), in the actors' order."""
    by_id = {a["id"]: a for a in actors}
    pseudonymous: set[str] = set()
    for a in actors:  # rule 4: the pseudonyms and the units below them
        node, seen = a, set()
        while node is not None and node["id"] not in seen:
            if node.get("pseudonym"):
                pseudonymous.add(a["id"])
                break
            seen.add(node["id"])
            node = by_id.get(node.get("parent", ""))
    located: dict[str, dict] = {}
    gaps: list[dict] = []
    for a in actors:  # rules 1 and 2
        code = a.get("gb_code", "")
        if not code or a["id"] in pseudonymous:
            continue
        entry = gazetteer.get(code)
        if entry is None:
            same_name = sorted((c, r["name"]) for c, r in gazetteer.items() if stem(r["name"]) == stem(a["label_zh"]))
            held = (
                "it lists " + ", ".join(f"{name} under code {c}" for c, name in same_name)
                if same_name
                else "it lists no unit of that name"
            )
            gaps.append(
                {
                    "id": f"GAP-POINT-{a['id']}",
                    "about": a["id"],
                    "label_zh": f"地名录（cpca 的 adcodes.csv）中没有代码 {code}，{a['label_zh']}因此没有坐标点。",
                    "label_en": f"The gazetteer (cpca's adcodes.csv) has no code {code}, so {a['label_en']} "
                    "has no point on the map.",
                    "sources": SOURCE_ID,
                    "note": f"The gazetteer has no entry for {code}; {held}.",
                }
            )
            continue
        exact = a["label_zh"].endswith(entry["name"])
        located[a["id"]] = {
            "actor": a["id"],
            "wkt": f"POINT ({coordinate(entry['longitude'])} {coordinate(entry['latitude'])})",
            "basis": "gazetteer",
            "placed_in": "",
            "gazetteer_code": entry["adcode"][:6],
            "gazetteer_name": entry["name"],
            "sources": SOURCE_ID,
            "confidence": "high" if exact else "medium",
            "note": ""
            if exact
            else f"The gazetteer names the unit at code {code} {entry['name']}; the point is its point for that code.",
        }
    rows = []
    for a in actors:  # rule 3, and the order of the output
        if a["id"] in located:
            rows.append(located[a["id"]])
            continue
        if a.get("gb_code") or a["id"] in pseudonymous or a.get("kind") in NOT_PLACES:
            continue
        unit, seen = by_id.get(a.get("parent", "")), {a["id"]}
        while unit is not None and not unit.get("gb_code") and unit["id"] not in seen:
            seen.add(unit["id"])
            unit = by_id.get(unit.get("parent", ""))
        if unit is None or unit["id"] not in located:
            continue
        point = located[unit["id"]]
        rows.append(
            {
                "actor": a["id"],
                "wkt": point["wkt"],
                "basis": "placed-in",
                "placed_in": unit["id"],
                "gazetteer_code": "",
                "gazetteer_name": "",
                "sources": SOURCE_ID,
                "confidence": lower(a.get("confidence", ""), point["confidence"]),
                "note": f"Approximate: the point of {unit['label_en']} ({unit['label_zh']}), the unit it belongs to.",
            }
        )
    return rows, gaps


def source_row(version: str, count: int) -> dict:
    return {
        "id": SOURCE_ID,
        "title": f"cpca {version}: adcodes.csv, Chinese administrative divisions with longitude and latitude",
        "url": f"https://pypi.org/project/cpca/{version}/",
        "citation": f"DQinYuan. cpca (chinese_province_city_area_mapper), version {version}, "
        "file cpca/resources/adcodes.csv. Python package, MIT licence. https://pypi.org/project/cpca/",
        "publisher": "DQinYuan (Python package cpca on PyPI)",
        "kind": "secondary",
        "date": "",
        "original_outlet": "",
        "accessed": "",
        "note": f"A gazetteer of {count} Chinese administrative units, each with a 12-digit code whose first six "
        "digits are the GB/T 2260 code, a name, a longitude and a latitude: one representative point per unit. "
        "The package does not state the coordinates' datum; they are given here as WGS 84 longitude and latitude. "
        "Coordinates published by Chinese map services are often in GCJ-02, which differs from WGS 84 by up to "
        "several hundred metres, far less than the extent of the units the points stand for.",
    }


def write(path: Path, rows: list[dict], columns: list[str]) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


POINT_COLUMNS = [
    "actor",
    "wkt",
    "basis",
    "placed_in",
    "gazetteer_code",
    "gazetteer_name",
    "sources",
    "confidence",
    "note",
]
GAP_COLUMNS = ["id", "about", "label_zh", "label_en", "sources", "note"]
SOURCE_COLUMNS = [
    "id",
    "title",
    "url",
    "citation",
    "publisher",
    "kind",
    "date",
    "original_outlet",
    "accessed",
    "note",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the data folder (its actors tables are read, geo/ is written)")
    parser.add_argument("--gazetteer", type=Path, help="an adcodes.csv file (default: the installed cpca's)")
    args = parser.parse_args(argv)
    gazetteer, version = read_gazetteer(args.gazetteer)
    rows, gaps = points(read_actors(args.data), gazetteer)
    out = args.data / "geo"
    out.mkdir(exist_ok=True)
    write(out / "points.csv", rows, POINT_COLUMNS)
    write(out / "gaps.csv", gaps, GAP_COLUMNS)
    write(out / "sources.csv", [source_row(version, len(gazetteer))], SOURCE_COLUMNS)
    placed = sum(1 for r in rows if r["basis"] == "placed-in")
    print(f"{len(rows)} points ({len(rows) - placed} from the gazetteer, {placed} placed in a unit), {len(gaps)} gaps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
