from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.admissions.models import AdmissionRequest, Payment
from parcours.institutions.models import Programme


class RequestForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme visé"), queryset=Programme.objects.order_by("name"))
    kind = forms.ChoiceField(label=_("Nature de la demande"), choices=AdmissionRequest.Kind.choices)
    bloc = forms.TypedChoiceField(label=_("Bloc"), choices=[(1, "1"), (2, "2"), (3, "3")], coerce=int, initial=1)
    motivation = forms.CharField(label=_("Motivation (obligatoire pour une inscription tardive ou une réorientation)"),
                                 required=False, widget=forms.Textarea(attrs={"rows": 3}))
    other_registrations = forms.CharField(label=_("Autres inscriptions cette année dans l'enseignement supérieur (art. 34)"),
                                          required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                          help_text=_("Toute omission est considérée comme une fraude à l'inscription."))
    foreign_secondary = forms.BooleanField(label=_("J'ai fait mes études secondaires à l'étranger"), required=False)
    non_resident = forms.BooleanField(label=_("Kinésithérapie : je ne suis pas résident au sens du décret du 16 juin 2006"),
                                      required=False)
    non_eu_present = forms.NullBooleanField(label=_("Candidat hors UE : présent en Belgique ou en Europe (annexe 7)"),
                                            required=False, widget=forms.Select(choices=[("", _("sans objet")),
                                                                                        ("true", _("oui")),
                                                                                        ("false", _("non"))]))
    diploma_year = forms.IntegerField(label=_("Candidat hors UE : année du diplôme"), required=False, min_value=1950,
                                      max_value=2100)
    previous_fwb_institution = forms.BooleanField(
        label=_("J'ai déjà été inscrit(e) dans un autre établissement de la Fédération Wallonie-Bruxelles"), required=False)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("accepter", _("Inscrire régulièrement")), ("irrecevable", _("Déclarer irrecevable")),
                                        ("refuser", _("Refuser l'inscription"))], widget=forms.RadioSelect,
                               label=_("Décision"))
    access_conditions_met = forms.BooleanField(label=_("Les conditions d'accès (art. 16 à 19) sont remplies"),
                                               required=False, initial=True)
    exclusion_for_fraud_in_last_3_years = forms.BooleanField(label=_("Exclusion pour fraude dans les 3 ans (art. 40, 1°)"), required=False)
    ares_refusal_in_last_3_years = forms.BooleanField(label=_("Refus de l'ARES dans les 3 ans (art. 40, 1°)"), required=False)
    studies_not_financed = forms.BooleanField(label=_("Études non finançables (art. 40, 2°)"), required=False)
    non_financable = forms.BooleanField(label=_("Étudiant non finançable (art. 40, 3°)"), required=False)
    exclusion_for_serious_misconduct_in_last_3_years = forms.BooleanField(
        label=_("Exclusion pour faute grave dans les 3 ans (art. 40, 4°)"), required=False)
    other_registration_undeclared = forms.BooleanField(label=_("Inscription concomitante non déclarée (art. 34)"),
                                                       required=False)

    motivation = forms.CharField(label=_("Motivation rédigée par la personne qui décide (refus : obligatoire, art. 40 ; "
                                         "étudiant non finançable accepté : obligatoire, art. 36)"), required=False,
                                 max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, options: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if options is not None:  # offer only the decisions this person may take now
            self.fields["action"].choices = [(k, v) for k, v in self.fields["action"].choices if options.get(k, "x") is None]

    GROUNDS = ["exclusion_for_fraud_in_last_3_years", "ares_refusal_in_last_3_years", "studies_not_financed",
               "non_financable", "exclusion_for_serious_misconduct_in_last_3_years", "other_registration_undeclared"]


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Montant (€)"), max_digits=8, decimal_places=2)
    paid_on = forms.DateField(label=_("Date du paiement"),
                              widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Mode"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("Référence"), required=False, max_length=140)


class ImportForm(forms.Form):
    statement = forms.FileField(label=_("Extrait bancaire : CODA, camt.053 ou CSV (date;montant;communication[;référence])"))
