"""Built into every template (settings.TEMPLATES builtins): regulation texts in the reader's language."""

from django import template

from parcours.web import i18n

register = template.Library()


@register.filter
def reason_text(reason):
    """``{{ r|reason_text }}``: a reason of a decision (object or stored dict), French or English."""
    return i18n.reason_text(reason)


@register.filter
def localized(text):
    """``{{ error|localized }}``: any French text of the regulation layer (a RuleError, a label) in the reader's language."""
    return i18n.localized(text)


@register.filter
def label_text(label):
    """``{{ slot.label|label_text }}``: a French label kept in the data (document slot, dossier title) in the reader's language."""
    return i18n.label_text(label)
