"""Transcribe annexe 2 of the RGE (a tab-separated table in the seed) into fees.csv.

Run once when a new year's RGE arrives:
    python scripts/extract_annexe2.py ../shared/seeds/001_….txt src/parcours/regulation/years/2023-2024/fees.csv
The test suite re-reads the seed (when present) and checks the CSV still matches it row by row.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

COLUMNS = [
    "row", "domaine", "section", "site", "type", "stage",
    "minerval_non_boursier", "minerval_modeste", "frais_infrastructure", "frais_administratifs",
    "frais_specifiques", "total_non_boursier", "total_modeste", "total_boursier",
]


def parse_seed_rows(text: str) -> list[list[str]]:
    """The annexe 2 rows as printed: 13 cells, bold tags removed, decimal comma → point."""
    start = text.index("## Annexe 2")
    end = text.index("Annexe 3", start)
    rows = []
    for line in text[start:end].splitlines():
        cells = line.split("\t")
        if len(cells) < 13 or cells[4].strip() not in {"DC", "PE", "AD"}:
            continue
        cells = [re.sub(r"</?b>", "", c).strip() for c in cells[:13]]
        cells[5:] = [c.replace(".", "").replace(",", ".") for c in cells[5:]]
        rows.append(cells)
    return rows


def main(seed: str, out: str) -> None:
    rows = parse_seed_rows(Path(seed).read_text(encoding="utf-8"))
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i, cells in enumerate(rows, start=1):
            writer.writerow([i, *cells])
    print(f"{len(rows)} lignes écrites dans {out}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
