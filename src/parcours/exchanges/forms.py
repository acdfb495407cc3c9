"""Forms of the mobility screens: the call and its destinations (with their fact sheets)."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from parcours.exchanges.models import LANGUAGES
from parcours.institutions.models import Institution

DESTINATION_ROWS = 5


class CallForm(forms.Form):
    programme_id = forms.TypedChoiceField(label=_("Programme"), coerce=int)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    mobility_year = forms.CharField(label=_("Année de la mobilité"), max_length=9, initial="2024-2025")
    department_min_credits = forms.IntegerField(label=_("Crédits réussis exigés pour une mobilité d'études (art. 215)"),
                                                min_value=0, max_value=180)
    isced_f_code = forms.RegexField(label=_("Code ISCED-F du domaine"), regex=r"^\d{4}$", required=False,
                                    initial="0923")
    selection_criteria = forms.CharField(label=_("Critères de sélection (un par ligne, point 1.4)"),
                                         widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_id"].choices = [(p.pk, p.name) for p in programmes]


@dataclass
class DestinationRow:
    index: int
    data: dict = field(default_factory=dict)
    cleaned: dict | None = None
    errors: list[str] = field(default_factory=list)


def destination_rows(post) -> list[DestinationRow]:
    """Up to five destination lines of the call form; an empty line is ignored."""
    rows = []
    for i in range(DESTINATION_ROWS):
        row = DestinationRow(i)
        if post is not None:
            row.data = {k: post.get(f"d{i}-{k}", "").strip() for k in (
                "host", "kind", "places", "language", "language_level", "period", "contact_name", "contact_email", "url")}
            if row.data["host"]:
                _clean(row)
        rows.append(row)
    return rows


def _clean(row: DestinationRow) -> None:
    d = row.data
    n = row.index + 1
    cleaned = {"host_id": int(d["host"]) if d["host"].isdigit() else None, "kind": d["kind"],
               "language": d["language"] if d["language"] in dict(LANGUAGES) else "",
               "language_level": d["language_level"] if d["language_level"] in ("A1", "A2", "B1", "B2", "C1", "C2") else "",
               "period": d["period"][:100], "host_contact_name": d["contact_name"][:150], "info_url": d["url"][:200]}
    if cleaned["host_id"] is None or not Institution.objects.filter(pk=cleaned["host_id"]).exists():
        row.errors.append(f"Destination {n} : établissement d'accueil inconnu.")
    if d["places"]:
        if not d["places"].isdigit() or int(d["places"]) > 999:
            row.errors.append(f"Destination {n} : nombre de places entier (vide pour un stage sans quota).")
        else:
            cleaned["places"] = int(d["places"])
    else:
        cleaned["places"] = None
    if d["contact_email"]:
        try:
            validate_email(d["contact_email"])
            cleaned["host_contact_email"] = d["contact_email"]
        except ValidationError:
            row.errors.append(f"Destination {n} : adresse e-mail du coordinateur d'accueil invalide.")
    if d["url"] and not d["url"].startswith(("https://", "http://")):
        row.errors.append(f"Destination {n} : l'adresse de la fiche commence par https://.")
    if not row.errors:
        row.cleaned = cleaned
