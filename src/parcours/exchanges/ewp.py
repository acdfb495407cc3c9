"""Export of a learning agreement as an Erasmus Without Paper Outgoing Mobility Learning Agreements
(omobility-las, stable-v1) get-response: our own writer, following the public specification's element names,
order and code lists (EQF level, CEFR level, ISO country codes, change reason codes)."""

import datetime as dt
from xml.etree import ElementTree as ET

from django.utils import timezone

from parcours.exchanges.models import LearningAgreement, MobilityFile
from parcours.exchanges.services import STUDY_KINDS, MobilityError

NS = "https://github.com/erasmus-without-paper/ewp-specs-api-omobility-las/blob/stable-v1/endpoints/get-response.xsd"
TRM = "https://github.com/erasmus-without-paper/ewp-specs-types-academic-term/tree/stable-v2"
HELHA_HEI_ID = "helha.be"
TERMS_PER_YEAR = 2  # quadrimestres (semesters) at the host
EQF = {1: 6, 2: 7}  # bachelier = EQF 6, master = EQF 7
CEFR = {"A1", "A2", "B1", "B2", "C1", "C2"}


def _el(parent, name: str, text=None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, f"{{{NS}}}{name}", {k.replace("_", "-"): v for k, v in attrs.items() if v})
    if text is not None:
        node.text = str(text)
    return node


def _split(name: str) -> tuple[str, str]:
    parts = name.replace(".", " ").split()
    honorifics = {"m", "mme", "mr", "mrs", "ms", "dr", "prof"}
    parts = [p for p in parts if p.lower() not in honorifics]
    if len(parts) < 2:
        return "", ""
    if parts[0].isupper():  # "THUNUS Murielle": the family name first, in capitals
        return " ".join(parts[1:]), parts[0]
    return " ".join(parts[:-1]), parts[-1]  # "Ana Silva"


def missing_data(f: MobilityFile) -> list[str]:
    c = f.candidature
    d = c.destination
    problems = []
    if d.kind not in STUDY_KINDS:
        problems.append("une mobilité d'études (l'API omobility-las porte les conventions d'études)")
    if not f.agreements.filter(student_signed_at__isnull=False, sending_signed_at__isnull=False).exists():
        problems.append("une version signée par l'étudiant et l'établissement d'envoi")
    if not (d.host_contact_name and d.host_contact_email and all(_split(d.host_contact_name))):
        problems.append("le coordinateur de l'établissement d'accueil (prénom, nom, e-mail) dans la fiche destination")
    if not d.language or d.language_level not in CEFR:
        problems.append("la langue d'enseignement et le niveau CECR exigé dans la fiche destination")
    if not c.call.isced_f_code:
        problems.append("le code ISCED-F de l'appel")
    return problems


def _institution(parent, tag: str, hei_id: str, ounit: str, given: str, family: str, email: str) -> None:
    node = _el(parent, tag)
    _el(node, "hei-id", hei_id)
    if ounit:
        _el(node, "ounit-name", ounit)
    person = _el(node, "contact-person")
    _el(person, "given-names", given)
    _el(person, "family-name", family)
    _el(person, "email", email)


def _signature(parent, tag: str, name: str, position: str, email: str, at: dt.datetime) -> None:
    node = _el(parent, tag)
    _el(node, "signer-name", name)
    _el(node, "signer-position", position)
    if email:
        _el(node, "signer-email", email)
    _el(node, "timestamp", timezone.localtime(at).isoformat(timespec="seconds"))
    _el(node, "signer-app", "Parcours")


def _components(parent, la: LearningAgreement, with_changes: bool) -> None:
    for side, tag in (("host", "components-studied"), ("home", "components-recognized")):
        lines = [line for line in la.lines.all() if line.side == side and (with_changes or line.change != "deleted")]
        if not lines:
            continue
        listing = _el(parent, tag)
        for line in lines:
            attrs = {}
            if with_changes and line.change:
                attrs = {"status": line.change, "reason_code": line.reason_code, "reason_text": line.change_reason}
            comp = _el(listing, "component", **attrs)
            _el(comp, "los-code", line.code)
            _el(comp, "title", line.title)
            if side == "host":
                term = _el(comp, "term-id")  # its children are in the academic-term types' namespace
                ET.SubElement(term, f"{{{TRM}}}term-number").text = str(line.quadrimestre)
                ET.SubElement(term, f"{{{TRM}}}total-terms").text = str(TERMS_PER_YEAR)
            credit = _el(comp, "credit")
            _el(credit, "scheme", "ects")
            _el(credit, "value", line.ects)
            if side == "home":
                _el(comp, "recognition-conditions", "Reconnaissance de l'UE sur la base du relevé de notes de l'accueil "
                    "(art. 215 du RGE de la HELHa).")


def _list(parent, tag: str, la: LearningAgreement, f: MobilityFile, with_changes: bool,
          **attrs) -> ET.Element:
    c = f.candidature
    node = _el(parent, tag, **attrs)
    _components(node, la, with_changes)
    student = c.student.user
    _signature(node, "student-signature", student.get_full_name(), "Student", student.email, la.student_signed_at)
    _signature(node, "sending-hei-signature", la.sending_signer, "Responsible person at the sending institution",
               "", la.sending_signed_at)
    if la.receiving_signed_at:
        _signature(node, "receiving-hei-signature", la.receiving_signer,
                   "Responsible person at the receiving institution", c.destination.host_contact_email,
                   la.receiving_signed_at)
    return node


def export(f: MobilityFile) -> bytes:
    problems = missing_data(f)
    if problems:
        raise MobilityError("Export EWP impossible : il manque " + " ; ".join(problems) + ".")
    c = f.candidature
    d = c.destination
    user = c.student.user
    start_year = int(c.call.mobility_year[:4])
    year_id = f"{start_year}/{start_year + 1}"
    versions = list(f.agreements.prefetch_related("lines").order_by("version"))
    first = next(v for v in versions if v.student_signed_at and v.sending_signed_at)
    approved = [v for v in versions if v.signed and v.version > first.version]
    pending = [v for v in versions if v.version > max([first.version] + [a.version for a in approved])
               and v.student_signed_at and v.sending_signed_at and not v.signed]

    ET.register_namespace("", NS)
    ET.register_namespace("trm", TRM)
    root = ET.Element(f"{{{NS}}}omobility-las-get-response")
    la = _el(root, "la")
    _el(la, "omobility-id", f"HELHA-MOB-{f.pk}")
    home = c.managing_institution
    from parcours.regulation.params import load_year

    contacts = load_year("2023-2024").mobility.candidature.contacts
    contact = contacts.get(home.code) if home else None
    given, family = _split(contact.name) if contact else ("", "")
    _institution(la, "sending-hei", HELHA_HEI_ID, c.call.programme.name, given or "Bureau", family or "International",
                 contact.email if contact else "international@helha.be")
    host_given, host_family = _split(d.host_contact_name)
    _institution(la, "receiving-hei", d.host.code.lower(), "", host_given, host_family, d.host_contact_email)
    _el(la, "receiving-academic-year-id", year_id)
    student = _el(la, "student")
    _el(student, "given-names", user.first_name)
    _el(student, "family-name", user.last_name)
    if c.student.birth_date:
        _el(student, "birth-date", c.student.birth_date.isoformat())
    _el(student, "citizenship", (c.student.nationality or "BE").upper())
    _el(student, "email", user.email)
    _el(la, "start-date", f.planned_start.isoformat())
    _el(la, "end-date", f.planned_end.isoformat())
    _el(la, "eqf-level-studied-at-departure", EQF.get(c.call.programme.cycle, 6))
    _el(la, "isced-f-code", c.call.isced_f_code)
    skill = _el(la, "student-language-skill")
    _el(skill, "language", d.language)
    _el(skill, "cefr-level", d.language_level)
    _list(la, "first-version", first, f, with_changes=False)
    if approved:
        _list(la, "approved-changes", approved[-1], f, with_changes=True)
    if pending:
        _list(la, "changes-proposal", pending[-1], f, with_changes=True, id=f"v{pending[-1].version}")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
