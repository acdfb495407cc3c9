"""How a student pays (art. 24, 47-49): the institution's account, the registration's Belgian structured
communication (OGM/VCS) and the EPC "SEPA credit transfer" QR code that banking apps scan."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import segno.helpers
from django.conf import settings
from django.core.checks import Error, register
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.be import ogm_vcs

# 10 digits before the two check digits: the last two digits of the year's start, one digit saying what the
# number is, then that number on 7 digits. A registration decided on an admission request is paid under the
# request's number (known before the decision is recorded, so the letter's preview shows the very communication
# the letter carries, art. 39-41); any other registration under its own id.
_ID_DIGITS = 7
_REGISTRATION, _REQUEST = "0", "1"

@dataclass(frozen=True)
class Account:
    beneficiary: str
    iban: str  # printed form, groups of four
    bic: str


def institution_account() -> Account:
    """The account the fees are paid to; validated (a wrong IBAN would send every student's money astray)."""
    iban = IBAN(settings.PARCOURS_IBAN)
    bic = BIC(settings.PARCOURS_BIC)
    return Account(beneficiary=settings.PARCOURS_BENEFICIARY, iban=iban.formatted, bic=str(bic))


@register()
def check_account(app_configs=None, **kwargs):
    try:
        iban = IBAN(settings.PARCOURS_IBAN)
        bic = BIC(settings.PARCOURS_BIC)
    except SchwiftyException as exc:
        return [Error(f"PARCOURS_IBAN / PARCOURS_BIC invalide : {exc}", id="admissions.E001")]
    if iban.bic is not None and str(iban.bic)[:8] != str(bic)[:8]:
        return [Error(f"Le BIC {bic} ne correspond pas à la banque de l'IBAN {iban.formatted} ({iban.bic}).",
                      id="admissions.E002")]
    return []


def _format(year_start: int, kind: str, number: int) -> str:
    base = f"{year_start % 100:02d}{kind}{number:0{_ID_DIGITS}d}"
    if len(base) != 10:
        raise ValueError("identifiant trop long pour une communication structurée")
    return f"+++{ogm_vcs.format(base + ogm_vcs.calc_check_digits(base))}+++"


def request_communication(req) -> str:
    """The communication a registration decided on this admission request carries (the same before and after)."""
    return _format(req.academic_year.start.year, _REQUEST, req.pk)


def communication(registration) -> str:
    """The registration's structured communication, +++123/4567/89012+++ (modulo 97)."""
    from parcours.admissions.models import AdmissionRequest

    try:
        req = registration.admission_request
    except (AttributeError, AdmissionRequest.DoesNotExist):
        req = None
    if req is not None:
        return request_communication(req)
    return _format(registration.academic_year.start.year, _REGISTRATION, registration.pk)


def ogm_digits(text: str) -> str | None:
    """The 12 digits of a valid structured communication in a bank line's text, or None.

    Banks give it as +++123/4567/89012+++, ***…***, or the 12 bare digits; a wrong check digit is no match."""
    candidates = ["".join(ch for ch in text if ch in "0123456789")]
    for marker in ("+++", "***"):
        parts = text.split(marker)
        candidates += ["".join(ch for ch in part if ch in "0123456789") for part in parts[1:-1]]
    for value in candidates:
        if len(value) == 12 and ogm_vcs.is_valid(value):
            return value
    return None


def registration_for(text: str, registrations):
    """The registration (from the queryset given) whose structured communication the text holds, or None."""
    digits = ogm_digits(text)
    if digits is None:
        return None
    kind, number = digits[2], int(digits[3:10])
    found = registrations.select_related("academic_year", "admission_request__academic_year")
    if kind == _REQUEST:
        reg = found.filter(admission_request__pk=number).first()
    elif kind == _REGISTRATION:
        reg = found.filter(pk=number).first()
    else:
        return None
    if reg is None or communication(reg)[3:-3].replace("/", "") != digits:
        return None  # same number, another year (or a registration paid under its request's number): not this one
    return reg


def epc_qr_svg(*, amount: Decimal, communication_text: str) -> str:
    """The EPC QR code (European Payments Council, "SEPA credit transfer") as an inline SVG data URI."""
    account = institution_account()
    qr = segno.helpers.make_epc_qr(
        name=account.beneficiary[:70],
        iban=account.iban.replace(" ", ""),
        bic=account.bic,
        amount=amount,
        text=communication_text,
    )
    return qr.svg_data_uri(scale=4)


@dataclass
class PaymentInstructions:
    account: Account
    communication: str
    amount: Decimal  # due now (the next instalment), 0 when nothing is due
    due_on: dt.date | None

    @cached_property
    def qr(self) -> str:
        """Data URI of the EPC QR code, drawn only when a page shows it; empty when nothing is due."""
        return epc_qr_svg(amount=self.amount, communication_text=self.communication) if self.amount > 0 else ""


def instructions(registration, next_step: dict | None) -> PaymentInstructions:
    """What the student needs to pay the next instalment: account, communication, amount, date and QR."""
    return PaymentInstructions(
        account=institution_account(),
        communication=communication(registration),
        amount=Decimal(next_step["amount"]) if next_step else Decimal(0),
        due_on=next_step["date"] if next_step else None,
    )
