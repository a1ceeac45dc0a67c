"""Synthetic paired-assistance data with the same tables and shape as data/, at a chosen size.

    python bench/generate.py OUT_DIR --triples 100000

More programmes, regions, pairings, instruments, teams and people than the curated data,
in the same proportions (a region hierarchy; pairings with programmes, fields, modes,
years, parents and sources; soft law governing programmes, bilateral agreements governing
pairings, hard-law articles authorising programmes; teams with members).  Every value is
made up and says so (ids and labels start with "GEN"/"合成"); nothing here enters data/.
"""
from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

TRIPLES_PER_PAIRING = 24  # data triples per pairing in this generator's output (measured: 23.7)


def write(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def generate(out: Path, pairings: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    n_sources = max(10, pairings // 8)
    sources = [f"S-gen-{i:06d}" for i in range(n_sources)]
    write(out / "sources.csv", ["id", "title", "url", "citation", "publisher", "kind", "accessed", "note"],
          [[s, f"Synthetic source {s}", f"https://example.org/gen/{s}", "", "pakg bench", "secondary", "", ""]
           for s in sources])

    def src():
        return ";".join(rng.sample(sources, rng.choice((1, 1, 2))))

    conf = lambda: rng.choice(("high", "high", "high", "medium", "low"))  # noqa: E731
    modes = ["traditional", "group-style", "east-west-cooperation", "disaster-reconstruction"]
    fields = ["comprehensive", "medical", "education", "cadre", "poverty alleviation", "relief", "reconstruction"]
    n_programmes = max(13, pairings // 300)
    programmes = [f"P-GEN-{i:04d}" for i in range(n_programmes)]
    prog_rows, prog_years, prog_ends = [], {}, {}
    for p in programmes:
        start = rng.randint(1979, 2020)
        prog_years[p] = start
        prog_ends[p] = rng.choice(["", start + rng.randint(1, 10)])
        prog_rows.append([p, f"合成工程{p}", f"Synthetic programme {p}", "", start, prog_ends[p], "",
                          rng.choice(modes), rng.choice(fields), src(), conf(), ""])
    write(out / "programmes.csv", ["id", "label_zh", "label_en", "target_region", "start_year", "end_year",
                                   "launched_by", "mode", "fields", "sources", "confidence", "note"], prog_rows)

    actors, provinces, prefectures, counties, hospitals, persons = [], [], [], [], [], []
    n_prov = max(31, pairings // 100)
    for i in range(n_prov):
        a = f"gen-province-{i:04d}"
        provinces.append(a)
        actors.append([a, f"合成省{i}", f"GEN Province {i}", "region-government", "province", "", "", "", src(), "high", ""])
    for i in range(max(50, pairings // 6)):
        a = f"gen-prefecture-{i:05d}"
        prefectures.append(a)
        actors.append([a, f"合成地区{i}", f"GEN Prefecture {i}", "region-government", "prefecture",
                       rng.choice(provinces), "", "", src(), "high", ""])
    for i in range(max(100, pairings // 2)):
        a = f"gen-county-{i:06d}"
        counties.append(a)
        actors.append([a, f"合成县{i}", f"GEN County {i}", "region-government", "county", rng.choice(prefectures),
                       "", "", src(), conf(), ""])
    for i in range(max(20, pairings // 20)):
        a = f"gen-hospital-{i:05d}"
        hospitals.append(a)
        actors.append([a, f"合成医院{i}", f"GEN Hospital {i}", "hospital", "institution",
                       rng.choice(prefectures + provinces), "", "", src(), "high", ""])
    write(out / "actors.csv", ["id", "label_zh", "label_en", "kind", "level", "parent", "gb_code", "alt_labels_zh",
                               "sources", "confidence", "note"], actors)
    people = [[f"gen-person-{i:06d}", f"合成人员{i}", f"GEN Person {i}", "person", "person", "", "", "", src(), "medium",
               ""] for i in range(max(20, pairings // 4))]
    persons = [p[0] for p in people]

    rows = []
    for i in range(pairings):
        pid = f"PR-GEN-{i:06d}"
        prog = rng.choice(programmes)
        sup = rng.choice(provinces if rng.random() < 0.7 else hospitals)
        rec = sup
        while rec == sup:
            rec = rng.choice(counties if rng.random() < 0.6 else prefectures + hospitals)
        parent = ""
        if rows and rng.random() < 0.15:
            candidate = rows[rng.randrange(len(rows))]
            parent, prog = candidate[0], candidate[2]
        start = prog_years[prog] + rng.randint(0, 5)
        if prog_ends[prog]:  # within its programme's years
            start = min(start, prog_ends[prog])
        rows.append([pid, "pairing", prog, sup, rec, "", rng.choice(fields), rng.choice(modes), start, "", parent, "",
                     src(), conf(), ""])
    write(out / "pairings.csv", ["id", "kind", "programme", "supporter", "recipient", "supporter_detail", "fields",
                                 "mode", "start_year", "end_year", "parent", "batch", "sources", "confidence",
                                 "note"], rows)

    teams = []
    for i in range(max(5, pairings // 10)):
        team = f"gen-team-{i:05d}"
        pairing = rows[rng.randrange(len(rows))][0]
        crew = rng.sample(persons, k=min(len(persons), rng.randint(2, 5)))
        teams.append([team, f"合成团队{i}", f"GEN Team {i}", pairing, "", rng.randint(1, 12), ";".join(crew), src(),
                      "medium", ""])
    write(out / "teams.csv", ["id", "label_zh", "label_en", "pairing", "sent_by", "batch", "members", "sources",
                              "confidence", "note"], teams)
    write(out / "persons" / "actors.csv", ["id", "label_zh", "label_en", "kind", "level", "parent", "gb_code",
                                           "alt_labels_zh", "sources", "confidence", "note"], people)

    instruments, provisions = [], []
    for law in range(5):
        instruments.append([f"I-GEN-LAW-{law}", f"合成法律{law}", f"GEN Law {law}", "hard-law", "law", "", "", "", 1990 + law,
                            "", "", "", "", "", "", src(), "high", ""])
        for art in range(4):
            authorised = ";".join(rng.sample(programmes, k=min(len(programmes), 5)))
            provisions.append([f"I-GEN-LAW-{law}-{art}", f"I-GEN-LAW-{law}", f"合成法律{law}第{art}条",
                               f"GEN Law {law}, Art. {art}", f"Art. {art}", "", "", "", authorised, src(), "high", ""])
    for i, prog in enumerate(programmes):
        for j in range(3):
            instruments.append([f"I-GEN-{i:04d}-{j}", f"合成政策{i}-{j}", f"GEN policy {i}-{j}", "soft-law",
                                rng.choice(["central-plan", "leader-speech"]), "", "", "", prog_years[prog], "", "",
                                "", prog, "", "", src(), conf(), ""])
    for k in range(max(5, pairings // 20)):
        pairing = rows[rng.randrange(len(rows))]
        instruments.append([f"I-GEN-AGR-{k:05d}", f"合成协议{k}", f"GEN agreement {k}", "soft-law",
                            "bilateral-agreement", "agreement", "", "", pairing[8], "", "", f"{pairing[3]};{pairing[4]}",
                            pairing[0], "", "", src(), conf(), ""])
    write(out / "instruments.csv", ["id", "label_zh", "label_en", "kind", "type", "form", "issuers", "issuer_text",
                                    "date", "date_note", "doc_number", "parties", "governs", "authorizes",
                                    "summary_en", "sources", "confidence", "note"], instruments)
    write(out / "provisions.csv", ["id", "instrument", "label_zh", "label_en", "article", "date", "date_note",
                                   "summary_en", "authorizes", "sources", "confidence", "note"], provisions)


def pairings_for(triples: int) -> int:
    return max(20, triples // TRIPLES_PER_PAIRING)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--triples", type=int, default=100_000)
    args = parser.parse_args()
    generate(args.out, pairings_for(args.triples))


if __name__ == "__main__":
    main()
