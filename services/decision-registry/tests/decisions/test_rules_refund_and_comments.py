"""D-12 (refund policy table) and D-15 (medical words in comments)."""

from itertools import product

import pytest
from hypothesis import given

from decision_registry.decisions.rules import (
    MedicalVocabulary,
    assess_refund_d12,
    check_comment_d15,
    medical_words_in_d15,
    parse_policy_d12,
    situation_of_d12,
)
from decision_registry.decisions.rules.refund import (
    SHARE_COLUMNS,
    SITUATION_COLUMNS,
    PolicyTableError,
    Register,
)
from decision_registry.reference import CURRENT_REFUND_POLICY, medical_vocabulary, refund_policy
from mediprima_contracts.components import Category
from mediprima_contracts.testing.strategies import bis_numbers
from mediprima_contracts.values import Ssin


def _assess(category: Category, **flags: bool):  # type: ignore[no-untyped-def]
    situation = situation_of_d12(
        ssin_is_bis=flags.pop("bis", False),
        category=category,
        insurable=flags.get("insurable", False),
        income_above_living_wage=flags.get("income", False),
        affiliated_to_fund=flags.get("affiliated", False),
    )
    return assess_refund_d12(situation, refund_policy())


def test_d12_no_legal_residence_is_urgent_medical_aid_at_full_share() -> None:
    assessment = _assess(Category.NO_LEGAL_RESIDENCE)
    assert (assessment.refund_code, assessment.urgent_medical_aid) == (1, True)
    assert assessment.outside_hospital.insurance_part_pct == 100
    assert assessment.policy_version == CURRENT_REFUND_POLICY


def test_d12_asylum_seekers_in_the_waiting_register_get_the_full_legal_fee() -> None:
    assessment = _assess(Category.ASYLUM_SEEKER)
    assert (assessment.refund_code, assessment.urgent_medical_aid) == (2, False)
    assert assessment.hospitalisation.patient_share_pct == 100


def test_d12_insured_needy_get_the_copayment_only() -> None:
    assessment = _assess(Category.INSURED_NEEDY)
    assert assessment.refund_code == 3
    assert (
        assessment.outside_hospital.insurance_part_pct,
        assessment.outside_hospital.patient_share_pct,
    ) == (0, 100)


def test_d12_income_above_the_living_wage_gets_no_state_share_except_9ter_hospital_care() -> None:
    above = _assess(Category.ASYLUM_SEEKER, income=True)
    assert above.refund_code == 9
    assert above.hospitalisation.insurance_part_pct == 0
    ninter = _assess(Category.REGULARISATION_9TER, income=True)
    assert ninter.refund_code == 7
    assert ninter.hospitalisation.insurance_part_pct == 50
    assert ninter.outside_hospital.insurance_part_pct == 0


def test_d12_affiliation_to_a_fund_ends_the_state_share() -> None:
    assert _assess(Category.STRUCK_OFF, affiliated=True).refund_code == 8


@given(bis=bis_numbers())
def test_d12_a_bis_number_means_no_register(bis: Ssin) -> None:
    assert Ssin(bis).is_bis
    situation = situation_of_d12(
        ssin_is_bis=Ssin(bis).is_bis,
        category=Category.ASYLUM_SEEKER,
        insurable=False,
        income_above_living_wage=False,
        affiliated_to_fund=False,
    )
    assert situation.register is Register.NONE
    assert assess_refund_d12(situation, refund_policy()).refund_code == 5


def test_d12_every_situation_finds_a_row_in_the_policy_table() -> None:
    for category, bis, insurable, income, affiliated in product(Category, *[(False, True)] * 4):
        assessment = _assess(
            category, bis=bis, insurable=insurable, income=income, affiliated=affiliated
        )
        assert assessment.refund_code >= 0


def test_d12_a_policy_table_without_a_final_catch_all_row_is_refused() -> None:
    header = dict.fromkeys(SITUATION_COLUMNS, "*") | {"category": "asylum_seeker"}
    shares = dict.fromkeys(SHARE_COLUMNS, "100")
    row = header | shares | {"refund_code": "2", "urgent_medical_aid": "false"}
    with pytest.raises(PolicyTableError):
        parse_policy_d12("test", [row])
    with pytest.raises(PolicyTableError):
        parse_policy_d12(
            "test", [row | {"category": "*", "hospitalisation_insurance_part_pct": "30"}]
        )
    assert parse_policy_d12("test", [row | {"category": "*"}]).version == "test"


@pytest.mark.parametrize(
    ("comment", "word"),
    [
        ("Opname wegens Diabetes, insuline", "diabetes"),
        ("Suivi d'une grossesse", "grossesse"),
        ("Needs chemotherapy weekly", "chemotherapy"),
        ("Patiënt heeft kanker", "kanker"),
        ("Épilepsie connue", "epilepsie"),
    ],
)
def test_d15_medical_words_in_nl_fr_en_are_found(comment: str, word: str) -> None:
    assert word in medical_words_in_d15(comment, medical_vocabulary())
    [finding] = check_comment_d15(comment, medical_vocabulary())
    assert (finding.rule, finding.code, finding.blocking) == (
        "D-15",
        "comment.medical_information",
        False,
    )


def test_d15_an_administrative_comment_passes() -> None:
    assert (
        check_comment_d15(
            "Social inquiry done on 3 May; rent paid by the OCMW", medical_vocabulary()
        )
        == []
    )
    assert check_comment_d15(None, medical_vocabulary()) == []


def test_d15_the_word_list_is_data() -> None:
    vocabulary = MedicalVocabulary.from_terms(["gout*", "asthma"])
    assert medical_words_in_d15("Gouty, asthma, gaze", vocabulary) == ["gouty", "asthma"]
