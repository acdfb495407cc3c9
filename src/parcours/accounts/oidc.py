"""Staff sign-in with the institution's identity provider (OpenID Connect, e.g. Microsoft Entra ID for
Microsoft 365), through mozilla-django-oidc. Off unless PARCOURS_OIDC_CLIENT_ID is set (see README).

The identity provider proves who the person is; Parcours still decides what they may do: only an existing,
active account with a staff role signs in this way. Nobody is created, and students keep their password."""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from parcours.accounts.models import Role, RoleAssignment


def claimed_email(claims: dict) -> str:
    # Entra ID puts the work address in `email` when it is set, and always in `preferred_username` (the UPN).
    return (claims.get("email") or claims.get("preferred_username") or "").strip().lower()


class StaffOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        return "@" in claimed_email(claims)

    def filter_users_by_claims(self, claims):
        email = claimed_email(claims)
        staff = RoleAssignment.objects.exclude(role=Role.STUDENT).values("user")
        return self.UserModel.objects.filter(email__iexact=email, is_active=True, pk__in=staff) if email else \
            self.UserModel.objects.none()

    def create_user(self, claims):  # never reached with OIDC_CREATE_USER = False; a second lock on the door
        return None
