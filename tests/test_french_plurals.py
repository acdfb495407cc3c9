"""French counts: 0 and 1 take the singular. The `fr` catalogues (scripts/french_plurals.py) carry the French
plural rule for every plural string; one forgotten there falls back to the English rule ("0 dossiers")."""

import gettext
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import ngettext

SRC = Path(__file__).resolve().parent.parent / "src" / "parcours"


def _plural_ids(mo: Path) -> set[str]:
    catalog = gettext.GNUTranslations(mo.open("rb"))._catalog
    return {key[0] for key in catalog if isinstance(key, tuple)}


def test_every_plural_string_has_the_french_rule():
    """Django merges an app's catalogues with the project's: compared across all of them."""
    english = set().union(*map(_plural_ids, SRC.glob("**/locale/en/LC_MESSAGES/django.mo")))
    french = set().union(*map(_plural_ids, SRC.glob("**/locale/fr/LC_MESSAGES/django.mo")))
    assert english <= french, f"run scripts/french_plurals.py: {sorted(english - french)}"


@pytest.mark.parametrize("language,n,expected", [
    ("fr", 0, "0 dossier complet"), ("fr", 1, "1 dossier complet"), ("fr", 2, "2 dossiers complets"),
    ("en", 0, "0 complete files"), ("en", 1, "1 complete file"), ("en", 2, "2 complete files")])
def test_zero_is_singular_in_french_only(language, n, expected):
    with translation.override(language):
        assert f"{n} {ngettext('dossier complet', 'dossiers complets', n)}" == expected
