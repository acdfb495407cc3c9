"""Every programme of Titre III is priced by its annexe-2 row (art. 47), as data; the ones annexe 2 leaves out
are reported by name."""

import pytest
from django.core.management import call_command

from parcours.institutions.models import Programme
from parcours.regulation import fees
from parcours.regulation.params import load_year, programmes_without_fee_row

# Annexe 2 of the RGE 2023-2024 prints no row for these programmes of Titre III (checked against the seed).
NOT_IN_ANNEXE_2 = {
    "Bachelier de spécialisation en radiothérapie",
    "Bachelier en psychomotricité",
    "Master en ingénierie et action sociales",
    "Master en transitions et innovations sociales",
    "Master en communication stratégique (en alternance)",
    "Bachelier en bioqualité (en alternance)",
}


@pytest.mark.article("47")
def test_every_programme_has_a_fee_row_except_those_annexe_2_omits():
    params = load_year("2023-2024")
    assert len(params.programmes.programmes) == 91
    assert set(programmes_without_fee_row(params)) == NOT_IN_ANNEXE_2
    for p in params.programmes.programmes:
        if p.name in NOT_IN_ANNEXE_2:
            continue
        stages = {r.stage for r in params.fee_rows if (r.section, r.site) == (p.fee_section, p.fee_site)}
        assert stages, p.name
        for stage in stages:
            total = fees.compute(fees.FeeFacts(year="2023-2024", section=p.fee_section, site=p.fee_site,
                                               stage=stage)).outcome["total"]
            assert total > 0, p.name


@pytest.mark.article("47")
def test_load_year_links_the_programmes_and_names_the_missing(db, capsys):
    call_command("load_year", "2023-2024")
    out = capsys.readouterr().out
    for name in NOT_IN_ANNEXE_2:
        assert f"« {name} »" in out
    assert Programme.objects.exclude(fee_section="").count() == 85
    assert Programme.objects.get(name="Bachelier en enseignement section 3 mathématiques et formation numérique"
                                 ).fee_section == "S3 Math"
