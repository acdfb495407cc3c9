from django import forms
from django.utils.translation import gettext_lazy as _

from parcours.juries.models import Relationship
from parcours.regulation.deliberation import ANNEXE3_CRITERIA


class GrantForm(forms.Form):
    ue = forms.IntegerField(widget=forms.HiddenInput)
    criteria = forms.MultipleChoiceField(label=_("Critères de délibération (annexe 3)"),
                                         choices=list(ANNEXE3_CRITERIA.items()), widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("Retenez au moins un critère de l'annexe 3 (art. 135).")})
    motivation = forms.CharField(label=_("Explication (art. 130 : décision motivée)"), widget=forms.Textarea(attrs={"rows": 2}),
                                 error_messages={"required": _("Les décisions du jury sont motivées (art. 130).")})


class MotivationForm(forms.Form):
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 2}),
                                 error_messages={"required": _("Une motivation est requise.")})


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Motif de la réouverture"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("La réouverture se motive.")})


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(label=_("Publication le (date et heure)"),
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
                                     error_messages={"invalid": _("Date et heure invalides (JJ/MM/AAAA HH:MM).")})


class RelationshipForm(forms.Form):
    student = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Lien"), choices=Relationship.Kind.choices)
    degree = forms.IntegerField(label=_("Degré"), required=False, min_value=1, max_value=20)


class SessionForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Période d'évaluation"), coerce=int,
                                    choices=[(1, _("1 — janvier")), (2, _("2 — juin")), (3, _("3 — août-septembre"))])
