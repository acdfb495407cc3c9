"""Build the `fr` catalogues: the project's plural strings, translated to themselves under the French rule.

The source strings are French, so French needs no translation, except for plurals: with no `fr` catalogue,
ngettext falls back to the English rule (n != 1) and prints "0 dossiers complets". French takes the
singular for 0 and 1, so the project's one `fr` catalogue (src/parcours/locale/fr), whose Plural-Forms is
`nplurals=2; plural=(n > 1);`, holds every app's ngettext / {% plural %} entries and nothing else (msgen
fills each form with its own source). Run after adding or changing a plural string:

    .venv/bin/python scripts/french_plurals.py
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLURAL_FORMS = "nplurals=2; plural=(n > 1);"


def _only_plurals(po: str) -> tuple[str, int]:
    header, *entries = po.strip().split("\n\n")
    header = header.replace("#, fuzzy\n", "")
    header = re.sub(r'"Plural-Forms: [^"]*\\n"', f'"Plural-Forms: {PLURAL_FORMS}\\\\n"', header)
    header = re.sub(r'"Language: [^"]*\\n"', '"Language: fr\\\\n"', header)
    plurals = [entry for entry in entries if "\nmsgid_plural " in entry and not entry.startswith("#~")]
    return "\n\n".join([header, *plurals]) + "\n", len(plurals)


def main() -> int:
    manage = [sys.executable, str(ROOT / "manage.py")]
    project = ROOT / "src/parcours/locale/fr/LC_MESSAGES"
    # Extracted afresh: merged into the old catalogue, a new string would get a neighbour's fuzzy translation.
    (project / "django.po").unlink(missing_ok=True)
    subprocess.run([*manage, "makemessages", "-l", "fr", "--no-location", "--ignore", ".venv/*",
                    "--ignore", "tests/*"], cwd=ROOT, check=True)
    header, entries = "", {}
    for po_path in sorted(ROOT.glob("src/parcours/**/locale/fr/LC_MESSAGES/django.po")):
        filled = subprocess.run(["msgen", str(po_path)], check=True, capture_output=True, text=True).stdout
        text, _ = _only_plurals(filled)
        head, *plurals = text.strip().split("\n\n")
        header = header or head
        entries.update((entry, None) for entry in plurals)
        if po_path.parent != project:  # every app's plurals go to the one project catalogue, Django merges them
            for stale in po_path.parent.iterdir():
                stale.unlink()
            po_path.parent.rmdir()
            po_path.parent.parent.rmdir()
    (project / "django.po").write_text("\n\n".join([header, *entries]) + "\n")
    print(f"{project.relative_to(ROOT)}/django.po: {len(entries)} plural entries")
    subprocess.run([*manage, "compilemessages", "-l", "fr", "--ignore", ".venv/*"], cwd=ROOT, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
