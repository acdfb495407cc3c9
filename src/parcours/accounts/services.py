"""Accounts a person opens and recovers themself: sign-up with e-mail verification."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from parcours.accounts.models import Role, RoleAssignment, User
from parcours.audit.services import record
from parcours.notifications.services import send_email


class VerificationTokens(PasswordResetTokenGenerator):
    key_salt = "parcours.accounts.verification"  # a password-reset token never verifies an account, nor the reverse

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.is_active}{timestamp}{user.email}"


verification_tokens = VerificationTokens()


def verification_path(user: User) -> str:
    return f"/compte/verifier/{urlsafe_base64_encode(force_bytes(user.pk))}/{verification_tokens.make_token(user)}/"


@transaction.atomic
def open_account(*, email: str, first_name: str, last_name: str, password: str, site_url: str,
                 language: str = "fr") -> User | None:
    """An inactive account and a verification e-mail. When the address already has an account, that person is told
    by e-mail instead — the page says the same either way, so it does not reveal who is registered."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        send_email(to=existing.email, template="account_exists", language=existing.language,
                   context={"user": existing, "url": f"{site_url}/compte/mot-de-passe/oubli/"})
        return None
    user = User.objects.create_user(email, password, first_name=first_name.strip(), last_name=last_name.strip(),
                                    is_active=False, language=language)
    record(actor=user, action="accounts.account.opened", target=user, summary="Compte créé, adresse à vérifier")
    send_email(to=user.email, template="account_verify", language=language,
               context={"user": user, "url": f"{site_url}{verification_path(user)}"})
    return user


@transaction.atomic
def verify_account(*, uidb64: str, token: str) -> User | None:
    """The link of the verification e-mail: the account becomes active and its owner an applicant (a student
    record without registration), who may then file an admission request."""
    from parcours.students.models import Student

    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        user = User.objects.select_for_update().get(pk=pk)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    if user.is_active or not verification_tokens.check_token(user, token):
        return None  # the token hashes is_active: once used, the link is spent
    user.is_active = True
    user.save(update_fields=["is_active"])
    Student.objects.get_or_create(user=user, defaults={"matricule": f"C{user.pk:07d}"})
    RoleAssignment.objects.get_or_create(user=user, role=Role.STUDENT)
    record(actor=user, action="accounts.account.verified", target=user,
           summary="Adresse vérifiée : le candidat peut introduire une demande d'admission")
    return user
