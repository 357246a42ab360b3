"""Quality on the labelled evaluation set (tests/analysis_eval), against the issue's targets.

Each figure has a floor that it must not fall below (what the pipeline measured when the floor
was set) and the target the issue asks for. Targets not yet reached are strict xfails: they fail
the suite the day they start passing, so the floor is raised and the mark removed.
"""

import pytest

from tests.analysis_eval.evaluate import evaluate

# label: (floor, target). Floors are what the pipeline measured when they were last raised; the
# figures were reached while developing against this set, so they are optimistic: see
# tests/analysis_eval/heldout for a set the recognisers were not tuned on.
RECALL = {
    "PERSON": (0.985, 0.98),
    "PHONE": (1.0, 0.99),
    "EMAIL": (1.0, 0.99),
    "ID_NUMBER": (1.0, 0.99),
    "PAYMENT": (1.0, 0.99),
    "HANDLE": (1.0, 0.99),
    "VEHICLE": (1.0, 0.98),
    "DATE_OF_BIRTH": (1.0, 0.98),
    "ADDRESS": (1.0, 0.98),
}
PRECISION = (0.97, 0.90)
GEOCODING = {
    "ru": (0.94, 0.90),
    "uz": (1.0, 0.90),
    "tg": (1.0, 0.90),
    "ky": (0.96, 0.90),
    "kk": (1.0, 0.90),
    "en": (0.97, 0.90),
}


@pytest.fixture(scope="module")
def scores():
    return evaluate()


def _xfail_until_met(request, name: str, floor: float, target: float) -> None:
    if floor < target:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"{name}: target {target} not yet met"))


@pytest.mark.parametrize(("label", "floor"), [(label, floor) for label, (floor, _t) in RECALL.items()])
def test_recall_stays_above_its_floor(scores, label, floor):
    assert scores.recall(label) >= floor


@pytest.mark.parametrize("label", list(RECALL))
def test_recall_target(scores, label, request):
    floor, target = RECALL[label]
    _xfail_until_met(request, label, floor, target)
    assert scores.recall(label) >= target


def test_character_precision_stays_above_its_floor(scores):
    assert scores.precision >= PRECISION[0]


def test_character_precision_target(scores, request):
    _xfail_until_met(request, "precision", *PRECISION)
    assert scores.precision >= PRECISION[1]


def test_no_gold_place_is_redacted(scores):
    assert scores.places_redacted == 0


@pytest.mark.parametrize(("language", "floor"), [(lang, floor) for lang, (floor, _t) in GEOCODING.items()])
def test_geocoding_stays_above_its_floor(scores, language, floor):
    assert scores.geocoding(language) >= floor


def test_evaluation_set_is_big_enough():
    from tests.analysis_eval.load import load

    items = load()
    assert len(items) >= 150
    assert {item.language for item in items} == {"ru", "uz", "tg", "ky", "kk", "en"}


@pytest.mark.parametrize("language", list(GEOCODING))
def test_geocoding_target(scores, language, request):
    floor, target = GEOCODING[language]
    _xfail_until_met(request, f"geocoding {language}", floor, target)
    assert scores.geocoding(language) >= target


# The held-out set (tests/analysis_eval/heldout), written after the recognisers were tuned and
# never used to tune them: the honest figures. label: (floor measured, target).
HELDOUT_RECALL = {
    "PERSON": (0.87, 0.98),
    "PHONE": (1.0, 0.99),
    "EMAIL": (1.0, 0.99),
    "ID_NUMBER": (1.0, 0.99),
    "PAYMENT": (1.0, 0.99),
    "HANDLE": (1.0, 0.99),
    "VEHICLE": (1.0, 0.98),
    "DATE_OF_BIRTH": (0.82, 0.98),
    "ADDRESS": (0.75, 0.98),
}
HELDOUT_PRECISION = (0.93, 0.90)
HELDOUT_GEOCODING_FLOOR = 0.90


@pytest.fixture(scope="module")
def heldout():
    return evaluate(heldout=True)


@pytest.mark.parametrize("label", list(HELDOUT_RECALL))
def test_heldout_recall_stays_above_its_floor(heldout, label):
    assert heldout.recall(label) >= HELDOUT_RECALL[label][0]


@pytest.mark.parametrize("label", list(HELDOUT_RECALL))
def test_heldout_recall_target(heldout, label, request):
    floor, target = HELDOUT_RECALL[label]
    _xfail_until_met(request, f"held-out {label}", floor, target)
    assert heldout.recall(label) >= target


def test_heldout_precision_and_places(heldout):
    assert heldout.precision >= HELDOUT_PRECISION[0]
    assert heldout.places_redacted == 0
    for language in GEOCODING:
        assert heldout.geocoding(language) >= HELDOUT_GEOCODING_FLOOR, language
