from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, JPEG ou PNG, 10 Mo au plus)"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Décision"), choices=[("accept", _("Accepter")), ("refuse", _("Refuser"))],
                                 widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Motif du refus (communiqué à l'étudiant)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Indiquez le motif du refus : l'étudiant doit savoir pourquoi."))
        return data
