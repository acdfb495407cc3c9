import pytest

from parcours.regulation import deliberation
from parcours.regulation.explain import RuleError


@pytest.mark.article("Annexe 3")
@pytest.mark.article("135")
def test_the_twelve_criteria_are_the_annexe_wording(seed_rge):
    annexe = seed_rge.split("## **Annexe 3")[1].split("## **Annexe 4")[0]
    listed = [line[2:].strip() for line in annexe.splitlines() if line.startswith("- ")]
    assert listed == list(deliberation.ANNEXE3_CRITERIA.values())


@pytest.mark.article("135")
def test_a_criterion_outside_the_annexe_is_refused():
    assert deliberation.criteria_labels(["stages"]) == ["Qualité des stages – insertion professionnelle"]
    with pytest.raises(RuleError, match="annexe 3"):
        deliberation.criteria_labels(["stages", "sympathie"])
