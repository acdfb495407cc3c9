from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.juries.models import Relationship
from parcours.regulation.deliberation import ANNEXE3_CRITERIA


class GrantForm(forms.Form):
    ue = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": _("Choisissez l'unité d'enseignement dont le jury octroie les crédits."),
        "invalid": _("Choisissez l'unité d'enseignement dont le jury octroie les crédits.")})
    criteria = forms.MultipleChoiceField(label=_("Critères de délibération (annexe 3)"),
                                         choices=list(ANNEXE3_CRITERIA.items()), widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("Retenez au moins un critère de l'annexe 3 (art. 135).")})
    motivation = forms.CharField(label=_("Explication (art. 130 : décision motivée)"), widget=forms.Textarea(attrs={"rows": 2}),
                                 error_messages={"required": _("Les décisions du jury sont motivées (art. 130).")})


class MotivationForm(forms.Form):
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 2}),
                                 error_messages={"required": _("Une motivation est requise.")})


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Motif du retrait"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Le retrait se motive : indiquez la raison.")})


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la réouverture"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("La réouverture se motive.")})


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(label=_("Publication le (date et heure)"),
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
                                     error_messages={"invalid": _("Date et heure invalides (JJ/MM/AAAA HH:MM).")})


class DiplomaIssuedForm(forms.Form):
    issued_on = forms.DateField(label=_("Diplôme délivré le"), widget=forms.DateInput(attrs={"type": "date"}),
                                input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                                error_messages={"required": _("Indiquez la date de délivrance (JJ/MM/AAAA)."),
                                                "invalid": _("Indiquez la date de délivrance (JJ/MM/AAAA).")})


class RelationshipForm(forms.Form):
    student = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Lien"), choices=Relationship.Kind.choices)
    degree = forms.IntegerField(label=_("Degré"), required=False, min_value=1, max_value=20)


class SessionForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Période d'évaluation"), coerce=int,
                                    choices=[(1, _("1 — janvier")), (2, _("2 — juin")), (3, _("3 — août-septembre"))])


def _users_by_email(emails: list[str]) -> list:
    from parcours.accounts.models import User

    found = {u.email.lower(): u for u in User.objects.filter(email__in=emails, is_active=True)}
    missing = [e for e in emails if e.lower() not in found]
    if missing:
        raise forms.ValidationError(_("Aucun compte Parcours pour : %(e)s.") % {"e": ", ".join(missing)})
    return [found[e.lower()] for e in emails]


class JuryForm(forms.Form):
    """Constituting the jury of a cycle (art. 127-128): president by right or designated replacement, secretary,
    the computed members (editable) and any addition."""

    PRESIDENT_CHOICES = [("directeur", _("Le directeur de département")),
                         ("remplacant", _("Un remplaçant désigné par le directeur de domaine (indisponibilité)"))]

    president = forms.ChoiceField(label=_("Présidence (art. 128)"), choices=PRESIDENT_CHOICES, initial="directeur",
                                  widget=forms.RadioSelect, error_messages={
                                      "required": _("Choisissez qui préside le jury : le directeur de département ou "
                                                    "son remplaçant désigné par le directeur de domaine (art. 128)."),
                                      "invalid_choice": _("Choisissez qui préside le jury (art. 128).")})
    replacement = forms.EmailField(label=_("Remplaçant (adresse)"), required=False)
    designated_by = forms.ModelChoiceField(label=_("Désigné par le directeur de domaine"), queryset=None, required=False,
                                           empty_label="—")
    secretary = forms.EmailField(label=_("Secrétaire du jury (adresse)"),
                                 error_messages={"required": _("Désignez le secrétaire du jury (art. 128)."),
                                                 "invalid": _("Adresse du secrétaire invalide.")})
    mention_scheme = forms.ChoiceField(label=_("Pondération des mentions (annexe 6)"), required=False)
    members = forms.MultipleChoiceField(label=_("Membres calculés (responsables d'une UE au PAE d'un étudiant)"),
                                        required=False, widget=forms.CheckboxSelectMultiple)
    extra = forms.CharField(label=_("Autres membres (une adresse par ligne)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, computed=(), domain_directors=(), schemes=(), **kwargs):
        super().__init__(*args, **kwargs)
        from parcours.accounts.models import User

        self.fields["designated_by"].queryset = User.objects.filter(pk__in=[u.pk for u in domain_directors])
        self.fields["members"].choices = [(str(u.pk), f"{u.get_full_name()} <{u.email}>") for u in computed]
        self.fields["mention_scheme"].choices = [("", "—")] + [(f"{d}|{k}", f"{d} — {k}") for d, k in schemes]

    def clean_secretary(self):
        return _users_by_email([self.cleaned_data["secretary"].strip()])[0]

    def clean_extra(self):
        emails = [line.strip() for line in self.cleaned_data["extra"].replace(",", "\n").splitlines() if line.strip()]
        if any("@" not in e or len(e) > 254 for e in emails):
            raise forms.ValidationError(_("Une adresse par ligne, de la forme nom@helha.be."))
        return _users_by_email(emails)

    def clean(self):
        data = super().clean()
        if data.get("president") == "remplacant":
            if not data.get("replacement"):
                self.add_error("replacement", _("Indiquez le remplaçant du directeur de département (art. 128)."))
            else:
                try:
                    data["replacement"] = _users_by_email([data["replacement"].strip()])[0]
                except forms.ValidationError as exc:
                    self.add_error("replacement", exc)
            if not data.get("designated_by"):
                self.add_error("designated_by", _("Le remplaçant est désigné par le directeur de domaine (art. 128)."))
        else:
            data["replacement"], data["designated_by"] = None, None
        return data


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("Adresse du membre"), error_messages={"required": _("Indiquez une adresse."),
                                                                           "invalid": _("Adresse invalide.")})

    def clean_email(self):
        return _users_by_email([self.cleaned_data["email"].strip()])[0]
