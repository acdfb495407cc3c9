"""Loading an academic year and its programmes from the regulation layer's year folder."""

from django.db import transaction

from parcours.institutions.models import AcademicYear, Department, Institution, Programme, Site
from parcours.regulation.params import load_year, programmes_without_fee_row

HELHA = {"code": "HELHA", "name": "Haute École Louvain en Hainaut", "kind": Institution.Kind.HOME, "city": "Mons"}
# Titre III domain → HELHa department (annexe 2 groups the programmes the same way).
DEPARTMENTS = {
    "AGRO": ("Département des sciences agronomiques", ["Sciences agronomiques et ingénierie biologique"]),
    "ARTS": ("Département des arts appliqués", ["Arts plastiques, visuels et de l'espace"]),
    "ECO": ("Département des sciences économiques et de gestion", ["Sciences économiques et de gestion", "Sciences"]),
    "SANTE": ("Département des sciences de la santé", ["Sciences biomédicales et pharmaceutiques",
                                                       "Sciences de la santé publique", "Sciences de la motricité"]),
    "EDU": ("Département pédagogique", ["Sciences psychologiques et de l'éducation",
                                        "Sciences de l'éducation et enseignement"]),
    "SOCIAL": ("Département social", ["Sciences politiques et sociales", "Information et communication"]),
    "TECH": ("Département des sciences et technologies", ["Sciences de l'ingénieur et technologie"]),
}
SITES = [("Mons", "Mons"), ("MSS", "Montignies-sur-Sambre"), ("La Louvière", "La Louvière"), ("Gilly", "Gilly"),
         ("Jolimont", "Haine-Saint-Paul"), ("Tournai", "Tournai"), ("Gosselies", "Gosselies"),
         ("BLC", "Braine-le-Comte"), ("Leuze", "Leuze-en-Hainaut"), ("Loverval", "Loverval"),
         ("LLN", "Louvain-la-Neuve"), ("Charleroi", "Charleroi")]
PARTNERS = [("HENALLUX", "Haute École de Namur-Liège-Luxembourg", "Namur"),
            ("HERS", "Haute École Robert Schuman", "Libramont")]


@transaction.atomic
def load_academic_year(label: str) -> dict[str, int]:
    """Create or update the year, HELHa's departments and sites, the partners and the programmes of Titre III."""
    params = load_year(label)
    cal = params.calendar.academic_year
    AcademicYear.objects.update_or_create(label=label, defaults={"start": cal.start, "end": cal.end})
    helha, _ = Institution.objects.update_or_create(code=HELHA["code"], defaults=HELHA)
    for code, name, city in PARTNERS:
        Institution.objects.update_or_create(code=code, defaults={"name": name, "kind": Institution.Kind.PARTNER,
                                                                  "city": city})
    by_domain = {}
    for code, (name, domains) in DEPARTMENTS.items():
        dept, _ = Department.objects.update_or_create(code=code, defaults={"institution": helha, "name": name,
                                                                           "domain": ", ".join(domains)})
        for d in domains:
            by_domain[d] = dept
    sites = {}
    for name, city in SITES:
        sites[name], _ = Site.objects.update_or_create(institution=helha, name=name, defaults={"city": city})
    count = 0
    for p in params.programmes.programmes:
        section, site = p.fee_section or "", p.fee_site or ""
        programme, _ = Programme.objects.update_or_create(name=p.name, defaults={
            "domain": p.domain, "type": p.type, "cycle": p.cycle, "kind": p.kind, "min_credits": p.min_credits,
            "department": by_domain.get(p.domain), "fee_section": section, "fee_site": site,
            "site": next((v for k, v in sites.items() if k.lower() == site.lower()), None)})
        partners = Institution.objects.filter(code__in=p.co_organised_with)
        programme.co_organised_with.set(partners)
        count += 1
    return {"programmes": count, "departments": len(DEPARTMENTS), "sites": len(SITES),
            "without_fee_row": programmes_without_fee_row(params)}
