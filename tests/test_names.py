"""Names resolve everywhere the same way (issue 16, point 2): one resolver (``ReadModel.resolve``, the index of
``graph.names``) for actors, programmes, instruments, pairings and sources, used by the REST filters and by
``GET /resolve``; a place name takes in the units below it unless ``include_subunits=false``.

The walk over places reads the actors table: every regional government is found by its Chinese label, its
English label, its Chinese label without the generic suffix and its English label's first words without
generic words — unless several places share that stem: then the one that holds the others (Hotan → Hotan
Prefecture), or a 422 listing them all."""

from __future__ import annotations

import doctest
import re
import unicodedata
from collections import defaultdict

import pytest
from conftest import table_rows

from api import schemas
from graph import names
from graph.config import DEFAULT_BASE
from graph.errors import BadParameter
from graph.readmodel import ReadModel

# the issue's names that failed, each with the id a reader means by it
ISSUE_NAMES = {
    "Kizilsu": "kizilsu-kirghiz-autonomous-prefecture",
    "克州": "kizilsu-kirghiz-autonomous-prefecture",
    "Hotan": "hotan-prefecture",
    "新疆": "xinjiang",
    "Xinjiang": "xinjiang",
    "江苏": "jiangsu",
    "Jiangsu": "jiangsu",
    "北京": "beijing",
    "那曲": "nagqu",
    "Nagqu": "nagqu",
}


@pytest.fixture(scope="module")
def model(engine) -> ReadModel:
    return ReadModel(engine, DEFAULT_BASE)


def actor_iri(ident: str) -> str:
    return f"{DEFAULT_BASE}actor/{ident}"


def fold(text: str) -> str:
    """The test's own normal form: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def full_width(text: str) -> str:
    """ASCII letters and digits as their full-width forms (what an IME in full-width mode types)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def actors() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in table_rows("actors")}


def merges() -> dict[str, str]:
    return {row["id"]: row["into"] for row in table_rows("merges")}


def holds(rows: dict[str, dict[str, str]], above: str, ident: str) -> bool:
    """Whether ``above`` is ``ident`` or a unit above it, by the actors table's parent column."""
    seen = set()
    while ident and ident not in seen:
        if ident == above:
            return True
        seen.add(ident)
        ident = rows.get(ident, {}).get("parent", "")
    return False


def places(rows: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    return [row for row in rows.values() if row["kind"] == "region-government"]


ZH_GENERIC = re.compile(
    "(?:"
    + "|".join(
        sorted(
            {p + "族" for p in names.PEOPLES_ZH} | {p for p in names.PEOPLES_ZH if len(p) > 1}, key=len, reverse=True
        )
    )
    + ")*(?:自治区|自治州|自治县)$|(?:地区|新区|省|市|县|区)$"
)
BRACKETS = re.compile(r"\s*[(（][^()（）]*[)）]")


def zh_stem(label: str) -> str | None:
    """The Chinese label without its brackets and generic suffix (with the peoples' names before 自治…),
    when two characters or more are left."""
    bare = BRACKETS.sub("", label)
    stem = ZH_GENERIC.sub("", bare)
    if stem == bare and re.search("自治[区州县]$", bare):
        stem = re.sub("自治[区州县]$", "", bare)
    return stem if stem != label and len(stem) >= 2 else None


def en_stem(label: str) -> str | None:
    """The English label's first words, before a generic word or a people's name, without brackets and
    without what follows a comma."""
    bare = BRACKETS.sub("", label).split(",")[0].split()
    stop = names.GENERIC_EN | names.PEOPLES_EN
    words = bare[:1] + [w for w in bare[1:]]
    for n, word in enumerate(words[1:], 1):
        if word.casefold() in stop:
            words = words[:n]
            break
    stem = " ".join(words)
    return stem if fold(stem) != fold(label) and len(stem) >= 2 else None


def expected_for(rows: dict[str, dict[str, str]], stems: dict[str, set[str]], name: str) -> str | set[str]:
    """What the resolver should answer for a place's stem: the actor with that id (in any case) or label
    or alternative label when there is one; else the one place of that stem, or the one that holds the
    others; else the set of them (ambiguous)."""
    key = fold(name)
    if name in rows:
        return name
    labelled = sorted(i for i, row in rows.items() if key in {fold(row["label_zh"]), fold(row["label_en"])})
    if not labelled:
        labelled = sorted(
            i for i, row in rows.items() if key in {fold(a) for a in row.get("alt_labels_zh", "").split(";") if a}
        )
    # a stem, with an id in another case (Taizhou: the id of one city, the stem of another)
    group = labelled or sorted(stems[key] | {i for i in rows if fold(i) == key})
    top = [a for a in group if all(holds(rows, a, b) for b in group)]
    if len(group) == 1 or len(top) == 1:
        return group[0] if len(group) == 1 else top[0]
    return set(group)


def test_the_module_examples_hold():
    result = doctest.testmod(names)
    assert result.attempted > 0 and result.failed == 0


def test_every_place_is_found_by_its_labels_in_any_case_and_width(model):
    rows = actors()
    for row in places(rows):
        iri = actor_iri(row["id"])
        for label in (row["label_zh"], row["label_en"]):
            for form in {label, label.upper(), label.lower(), full_width(label), f"  {label} "}:
                assert model.resolve("actor", form, "recipient") == iri, (row["id"], form)


def test_every_place_is_found_by_its_stems_unless_they_are_shared(model):
    """The whole actors table: each place's stems (Chinese and English), grouped by the places that share
    them; a shared stem is the place that holds the others, or a 422 naming every one as a candidate."""
    rows = actors()
    stems: dict[str, set[str]] = defaultdict(set)
    written: dict[str, str] = {}
    for row in places(rows):
        for stem in (zh_stem(row["label_zh"]), en_stem(row["label_en"])):
            if stem:
                stems[fold(stem)].add(row["id"])
                written.setdefault(fold(stem), stem)
    assert len(stems) > len(places(rows))  # most places have two stems
    found = ambiguous = 0
    for key, ids in sorted(stems.items()):
        name = written[key]
        for form in sorted({name, name.lower(), full_width(name)}):
            expected = expected_for(rows, stems, form)  # (a stem in lower case may be an id: "datong")
            if isinstance(expected, str):
                match = model.lookup("actor", form, "recipient")
                assert match.iri == actor_iri(expected), (form, ids, match)
                found += 1
            else:
                with pytest.raises(BadParameter) as err:
                    model.resolve("actor", form, "recipient")
                assert err.value.name == "recipient" and "ambiguous: names" in str(err.value), form
                assert expected <= {c["id"] for c in err.value.candidates}, (form, err.value.candidates)
                ambiguous += 1
    assert found > 10 * max(ambiguous, 1)


@pytest.mark.parametrize("name,ident", sorted(ISSUE_NAMES.items()))
def test_the_names_of_the_issue_resolve(model, name, ident):
    assert model.resolve("actor", name, "recipient") == actor_iri(ident)
    assert model.resolve(None, name, "name") == actor_iri(ident)  # no other kind claims them


def test_a_shared_stem_is_the_unit_that_holds_the_others(model):
    rows = actors()
    match = model.lookup("actor", "Hotan", "recipient")
    assert match.matched_by == "stem" and match.iri == actor_iri("hotan-prefecture")
    assert match.others and all(holds(rows, "hotan-prefecture", model.split(o)[1]) for o in match.others)
    assert model.resolve("actor", "和田", "recipient") == match.iri


def test_an_alternative_historical_or_short_name_from_the_data_resolves(model):
    rows = actors()
    checked = 0
    for row in rows.values():
        for alt in (a for a in row.get("alt_labels_zh", "").split(";") if a):
            others = [
                i for i, r in rows.items() if i != row["id"] and fold(alt) in {fold(r["label_zh"]), fold(r["label_en"])}
            ]
            if others:
                continue  # another actor's label: the label wins
            match = model.lookup("actor", alt, "recipient")
            assert match.iri == actor_iri(row["id"]), (row["id"], alt)
            chars = iter(row["label_zh"])
            shorter = len(alt) < min(len(row["label_zh"]), len(row["label_en"])) and all(c in chars for c in alt)
            assert match.matched_by == ("short-name" if shorter else "alt-label"), (alt, match)
            checked += 1
    assert checked > 10
    assert model.lookup("actor", "克州", "recipient").matched_by == "short-name"


def test_retired_ids_resolve_to_their_survivor(model):
    for old, new in merges().items():
        for form in (old, old.upper(), f"{DEFAULT_BASE}actor/{old}"):
            match = model.lookup("actor", form, "recipient")
            assert (match.iri, match.matched_by) == (actor_iri(new), "retired-id"), form


@pytest.mark.parametrize("table,kind", [("programmes", "programme"), ("instruments", "instrument")])
def test_programmes_and_instruments_by_id_iri_and_labels(model, table, kind):
    for row in table_rows(table):
        iri = model.iri(kind, row["id"])
        assert model.lookup(kind, row["id"], kind).matched_by == "id"
        assert model.lookup(kind, row["id"].lower(), kind).matched_by == "id"
        assert model.lookup(kind, iri, kind).matched_by == "iri"
        for label in (row["label_zh"], row["label_en"]):
            if not label:
                continue
            shared = [r["id"] for r in table_rows(table) if fold(label) in {fold(r["label_zh"]), fold(r["label_en"])}]
            if len(shared) == 1:
                assert model.lookup(kind, label, kind).iri == iri, label
                assert model.resolve(kind, full_width(label), kind) == iri, label


def test_pairings_and_sources_by_id_in_any_case(model):
    for table, kind in (("pairings", "pairing"), ("sources", "source")):
        for row in table_rows(table):
            assert model.resolve(kind, row["id"].lower(), kind) == model.iri(kind, row["id"])


def test_a_name_of_two_kinds_is_ambiguous_without_a_kind(model):
    programmes = {fold(r["label_zh"]): r["id"] for r in table_rows("programmes")}
    shared = [r for r in table_rows("instruments") if fold(r["label_zh"]) in programmes]
    for row in shared:
        with pytest.raises(BadParameter) as err:
            model.resolve(None, row["label_zh"], "name")
        assert {(c["kind"], c["id"]) for c in err.value.candidates} >= {
            ("instrument", row["id"]),
            ("programme", programmes[fold(row["label_zh"])]),
        }
        assert model.resolve("instrument", row["label_zh"], "issuer") == model.iri("instrument", row["id"])
        assert model.resolve(("programme", "source"), row["label_zh"], "p") == model.iri(
            "programme", programmes[fold(row["label_zh"])]
        )


def test_an_unknown_name_is_refused_with_the_closest_first(model):
    with pytest.raises(BadParameter) as err:
        model.resolve("actor", "Kizilzu", "recipient")
    assert err.value.name == "recipient" and "unknown actor 'Kizilzu'" in str(err.value)
    assert err.value.candidates[0]["id"] == "kizilsu-kirghiz-autonomous-prefecture"
    assert set(err.value.candidates[0]) == {"id", "kind", "label_zh", "label_en", "level"}
    with pytest.raises(BadParameter) as err:
        model.resolve("actor", "Jiangsu's", "supporter")
    assert err.value.candidates[0]["id"] == "jiangsu" and len(err.value.candidates) <= names.CANDIDATES
    with pytest.raises(BadParameter) as err:
        model.resolve("actor", "Atlantis-zzz-qqq", "supporter")
    assert "unknown" in str(err.value) and err.value.candidates == []
    with pytest.raises(BadParameter) as err:
        model.resolve("galaxy", "Hotan", "kind")
    assert err.value.name == "kind"


def test_a_place_name_takes_in_the_units_below_it_unless_asked_not_to(model):
    rows = actors()
    retired = merges()
    pairings = table_rows("pairings")
    for name, ident in ISSUE_NAMES.items():
        for role in ("supporter", "recipient"):
            own = {r["id"] for r in pairings if retired.get(r[role], r[role]) == ident}
            below = {r["id"] for r in pairings if holds(rows, ident, retired.get(r[role], r[role]))}
            only = model.find_pairings(**{role: name}, include_subunits=False)
            every = model.find_pairings(**{role: name})
            assert {p.id for p in only} == own, (name, role)
            assert {p.id for p in every} == below, (name, role)
            assert [p.id for p in every] == [p.id for p in model.find_pairings(**{role: ident})]
    kizilsu = {p.id for p in model.find_pairings(recipient="Kizilsu")}
    assert kizilsu == {p.id for p in model.find_pairings(recipient="克州")}
    assert len(kizilsu) > len(model.find_pairings(recipient="Kizilsu", include_subunits=False))


# ---- over HTTP ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,ident", sorted(ISSUE_NAMES.items()))
def test_the_issue_names_filter_pairings_like_their_ids(client, name, ident):
    for role in ("supporter", "recipient"):
        by_name = client.get("/pairings", params={role: name, "limit": 1000})
        assert by_name.status_code == 200, by_name.json()
        assert by_name.json() == client.get("/pairings", params={role: ident, "limit": 1000}).json()


def test_include_subunits_on_pairings_and_the_panel(client, model):
    every = client.get("/pairings", params={"recipient": "Kizilsu", "limit": 1000}).json()
    only = client.get("/pairings", params={"recipient": "Kizilsu", "include_subunits": "false", "limit": 1000}).json()
    assert only["total"] < every["total"]
    assert {i["recipient"]["id"] for i in only["items"]} == {"kizilsu-kirghiz-autonomous-prefecture"}
    assert {i["id"] for i in only["items"]} <= {i["id"] for i in every["items"]}
    explicit = client.get("/pairings", params={"recipient": "Kizilsu", "include_subunits": "true", "limit": 1000})
    assert explicit.json() == every
    assert (
        client.get("/pairings", params={"recipient": "克州", "include_subunits": "perhaps"}).json()["parameter"]
        == "include_subunits"
    )
    panel = client.get("/panel", params={"recipient": "克州", "format": "json", "include_subunits": "false"}).json()
    assert panel["filters"] == {"recipient": "克州", "include_subunits": False}
    assert {r["recipient_id"] for r in panel["rows"]} == {"kizilsu-kirghiz-autonomous-prefecture"}
    wide = client.get("/panel", params={"recipient": "克州", "format": "json"}).json()
    assert wide["filters"] == {"recipient": "克州"} and len(wide["rows"]) > len(panel["rows"])


def test_resolve_answers_what_and_how(client, model):
    rows = actors()
    cases = {
        "Kizilsu": "stem",
        "克州": "short-name",
        "kizilsu-kirghiz-autonomous-prefecture": "id",
        "KIZILSU-Kirghiz-Autonomous-Prefecture": "id",
        actor_iri("kizilsu-kirghiz-autonomous-prefecture"): "iri",
        "克孜勒苏柯尔克孜自治州": "label",
        "Kizilsu Kirghiz Autonomous Prefecture": "label",
        full_width("Kizilsu"): "stem",
    }
    for name, how in cases.items():
        response = client.get("/resolve", params={"name": name})
        assert response.status_code == 200, (name, response.json())
        body = schemas.Resolved.model_validate(response.json())
        assert (body.id, body.kind, body.matched_by, body.name) == (
            "kizilsu-kirghiz-autonomous-prefecture",
            "actor",
            how,
            name,
        )
        assert body.units_below == sum(1 for i in rows if i != body.id and holds(rows, body.id, i))
        assert body.level == rows[body.id]["level"] and body.iri == actor_iri(body.id)
    old, new = next(iter(merges().items()))
    assert client.get("/resolve", params={"name": old}).json()["matched_by"] == "retired-id"
    assert client.get("/resolve", params={"name": old}).json()["id"] == new
    hotan = client.get("/resolve", params={"name": "Hotan"}).json()
    assert hotan["id"] == "hotan-prefecture" and {o["id"] for o in hotan["others"]} >= {"hotan-city", "hotan-county"}
    programme = client.get("/resolve", params={"name": "p-xj-2010", "kind": "programme"}).json()
    assert (programme["kind"], programme["units_below"], programme["level"]) == ("programme", None, None)
    zh = client.get("/resolve", params={"name": "Kizilsu"}, headers={"Accept-Language": "zh"}).json()
    assert zh["label"] == rows["kizilsu-kirghiz-autonomous-prefecture"]["label_zh"]


def test_resolve_refuses_with_candidates(client):
    unknown = client.get("/resolve", params={"name": "Kizilzu"})
    assert unknown.status_code == 422
    body = unknown.json()
    assert body["parameter"] == "name" and "unknown" in body["detail"] and "Kizilzu" in body["detail"]
    assert body["candidates"][0]["id"] == "kizilsu-kirghiz-autonomous-prefecture"
    rows = actors()
    shared = defaultdict(set)
    for row in places(rows):
        if stem := en_stem(row["label_en"]):
            shared[fold(stem)].add(row["id"])
    two = next(k for k, ids in sorted(shared.items()) if isinstance(expected_for(rows, shared, k), set))
    ambiguous = client.get("/resolve", params={"name": two, "kind": "actor"})
    assert ambiguous.status_code == 422
    body = ambiguous.json()
    assert "ambiguous: names" in body["detail"] and body["parameter"] == "name"
    assert {c["id"] for c in body["candidates"]} >= shared[two]
    assert client.get("/resolve", params={"name": "Kizilsu", "kind": "programme"}).status_code == 422
    for params, parameter in (
        ({"name": "Hotan", "kind": "galaxy"}, "kind"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({}, "name"),
    ):
        response = client.get("/resolve", params=params)
        assert response.status_code == 422 and response.json()["parameter"] == parameter, params
    through_pairings = client.get("/pairings", params={"recipient": two})
    assert through_pairings.status_code == 422 and through_pairings.json()["parameter"] == "recipient"
    assert {c["id"] for c in through_pairings.json()["candidates"]} >= shared[two]


def test_resolve_takes_several_kinds(client):
    params = [("name", "P-XJ-2010"), ("kind", "actor"), ("kind", "programme")]
    assert client.get("/resolve", params=params).json()["kind"] == "programme"
    assert client.get("/resolve", params=[("name", "P-XJ-2010"), ("kind", "actor")]).status_code == 422


def test_the_openapi_document_declares_names(client):
    spec = client.get("/openapi.json").json()
    resolve = spec["paths"]["/resolve"]["get"]
    kind = next(p for p in resolve["parameters"] if p["name"] == "kind")
    items = next(s for s in kind["schema"]["anyOf"] if s.get("type") == "array")["items"]
    assert items["enum"] == list(names.KINDS)
    assert resolve["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Resolved")
    matched = spec["components"]["schemas"]["Resolved"]["properties"]["matched_by"]
    assert matched["enum"] == list(names.MATCHED_BY)
    for path in ("/pairings", "/panel"):
        parameters = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert parameters["include_subunits"]["schema"]["type"] == "boolean", path
        assert parameters["include_subunits"]["schema"]["default"] is True, path
        assert "Kizilsu" in parameters["recipient"]["description"], path


def test_the_name_index_is_saved_with_the_read_model(model, tmp_path):
    model.save(tmp_path)
    again = ReadModel.open(model.engine, model.base, tmp_path)
    assert again is not model and again.names == model.names
    for name in ISSUE_NAMES:
        assert again.lookup("actor", name, "recipient") == model.lookup("actor", name, "recipient")
    bare = ReadModel.__new__(ReadModel)  # a model made without the index (as tests make tiny ones) builds it
    bare.__dict__.update({k: v for k, v in model.__dict__.items() if k != "names"})
    assert bare.resolve("actor", "Kizilsu", "recipient") == actor_iri("kizilsu-kirghiz-autonomous-prefecture")


def test_labels_listing_and_text_search_are_width_insensitive(client):
    by_short = client.get("/actors", params={"label": "克州"}).json()
    assert [i["id"] for i in by_short["items"]] == ["kizilsu-kirghiz-autonomous-prefecture"]
    wide = client.get("/actors", params={"label": full_width("Hotan Prefecture")}).json()
    assert [i["id"] for i in wide["items"]] == ["hotan-prefecture"]
    q = client.get("/pairings", params={"q": full_width("Qira"), "limit": 1000}).json()
    assert q["total"] > 0 and q == client.get("/pairings", params={"q": "qira", "limit": 1000}).json()
