import pytest

from curation.corrections import LANGUAGES, BadCorrection, check_correction
from nlp.language import LANGUAGE_CODES, OTHER_LANGUAGES


def test_a_coach_can_correct_to_any_language_the_analysis_gives():
    assert sorted(LANGUAGES) == sorted(LANGUAGE_CODES)
    assert check_correction("language", " ES ") == "es"
    with pytest.raises(BadCorrection, match="language must be one of"):
        check_correction("language", "xx")


def test_other_language_codes_are_lingua_s_own():
    from lingua import Language

    for name, code in OTHER_LANGUAGES.items():
        assert getattr(Language, name).iso_code_639_1.name.lower() == code
