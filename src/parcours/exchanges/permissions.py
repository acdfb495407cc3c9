"""Who may act on outgoing mobility (seed 000; art. 214-219). Views offer only what these allow; services check again."""

from parcours.accounts import permissions
from parcours.accounts.models import Role

# HELHa's own members of the committee of point 1.3 (RI officers, section and year coordinators).
HELHA_COMMITTEE = {Role.MOBILITY_COMMITTEE, Role.INTERNATIONAL_OFFICE, Role.RI_COORDINATOR}
OFFICE = {Role.INTERNATIONAL_OFFICE, Role.RI_COORDINATOR}


def committee_institution(user, call) -> tuple[bool, int | None]:
    """(member?, partner institution id): the HELHa committee of the programme, or the RI coordinator of a
    co-organising institution the call is sent to (HENALLUX, HERS)."""
    if permissions.can_act_on_programme(user, call.programme, HELHA_COMMITTEE):
        return True, None
    partners = permissions.partner_institutions(user, {Role.RI_COORDINATOR})
    shared = sorted(partners & set(call.recipients.values_list("pk", flat=True)))
    return (True, shared[0]) if shared else (False, None)


def is_committee(user, call) -> bool:
    return committee_institution(user, call)[0]


def is_office(user, call) -> bool:
    return permissions.can_act_on_programme(user, call.programme, OFFICE)


def runs_file(user, candidature) -> bool:
    """The managing institution's coordinator runs the dossier; HELHa's international office follows it too."""
    if candidature.managing_institution_id and candidature.managing_institution_id in permissions.partner_institutions(
            user, {Role.RI_COORDINATOR}):
        return True
    return permissions.can_act_on_programme(user, candidature.call.programme, {Role.INTERNATIONAL_OFFICE})


def authorises(user, candidature) -> bool:
    """Art. 214: the director of the department or their representative."""
    return permissions.can_act_on_programme(user, candidature.call.programme, {Role.DEPARTMENT_DIRECTION})


def is_social_worker(user, candidature) -> bool:
    return permissions.can_act_on_programme(user, candidature.call.programme, {Role.SOCIAL_WORKER})
