"""Annexe 2 reproduced from the data: every row, as printed."""

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from parcours.regulation import fees
from parcours.regulation.params import load_year

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from extract_annexe2 import parse_seed_rows  # noqa: E402

ROWS = load_year().fee_rows


@pytest.mark.article("Annexe 2")
def test_all_328_rows_are_there():
    assert len(ROWS) == 328
    assert [r.row for r in ROWS] == list(range(1, 329))


@pytest.mark.article("Annexe 2", "47")
@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"ligne{r.row}")
def test_non_boursier_total_is_the_sum_of_its_parts(row):
    parts = row.minerval_non_boursier + row.frais_infrastructure + row.frais_administratifs + (
        row.frais_specifiques or Decimal(0))
    assert parts == row.total_non_boursier


@pytest.mark.article("Annexe 2", "54", "56")
def test_modeste_and_boursier_totals_are_the_printed_ones():
    assert {r.total_modeste for r in ROWS} == {Decimal(374)}
    assert {r.total_boursier for r in ROWS} == {Decimal(0)}


@pytest.mark.article("Annexe 2")
def test_minerval_amounts_by_type_and_stage():
    # Type court: 175,01 € (DC/PE) and 227,24 € (AD); type long: 350,03 € and 454,47 €.
    for r in ROWS:
        expected = {("TC", False): "175.01", ("TC", True): "227.24", ("TL", False): "350.03", ("TL", True): "454.47"}
        assert r.minerval_non_boursier == Decimal(expected[(r.type, r.stage == "AD")]), r.row


@pytest.mark.article("Annexe 2", "56")
def test_the_three_kinesitherapie_rows_without_modeste_minerval_are_kept_and_priced():
    kine = [r for r in ROWS if r.section == "Kinésithérapie"]
    assert [r.stage for r in kine] == ["DC", "PE", "AD"]
    assert all(r.minerval_modeste is None and r.total_modeste == Decimal(374) for r in kine)
    decision = fees.compute(fees.FeeFacts(section="Kinésithérapie", site="MSS", stage="PE", status="condition_modeste"))
    assert decision.outcome["total"] == Decimal("374.00")
    assert any("ne précise pas le minerval modeste" in r.text for r in decision.reasons)


@pytest.mark.article("Annexe 2")
def test_the_data_matches_the_rge_row_by_row(seed_rge):
    printed = parse_seed_rows(seed_rge)
    assert len(printed) == 328
    for row, cells in zip(ROWS, printed, strict=True):
        values = [row.domaine, row.section, row.site, row.type, row.stage]
        assert values == cells[:5], row.row
        amounts = [row.minerval_non_boursier, row.minerval_modeste, row.frais_infrastructure, row.frais_administratifs,
                   row.frais_specifiques, row.total_non_boursier, row.total_modeste, row.total_boursier]
        assert [None if a is None else Decimal(a) for a in amounts] == [
            Decimal(c) if c else None for c in cells[5:]], row.row


@pytest.mark.article("Annexe 2")
def test_the_seed_parser_reads_decimal_commas_and_bold_totals():
    text = ("## Annexe 2\nSanté\tKinésithérapie\tMSS\tTL\tAD\t454,47\t\t175\t205,53\t\t<b>835</b>\t<b>374</b>\t"
            "<b>0</b>\nx\tx\n## Annexe 3")
    assert parse_seed_rows(text) == [["Santé", "Kinésithérapie", "MSS", "TL", "AD", "454.47", "", "175", "205.53", "",
                                      "835", "374", "0"]]
