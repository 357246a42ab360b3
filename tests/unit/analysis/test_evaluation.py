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


# Held-out sets, written by people who never saw the recognisers. "heldout" has since informed
# which categories of miss were fixed (not the texts themselves); "heldout2" is still blind: the
# honest figures. Per set: label -> (floor measured, target); then precision floor, most gold places
# redacted, geocoding floor.
HELDOUT = {
    "heldout": {
        "recall": {
            "PERSON": (0.96, 0.98),
            "PHONE": (1.0, 0.99),
            "EMAIL": (1.0, 0.99),
            "ID_NUMBER": (1.0, 0.99),
            "PAYMENT": (1.0, 0.99),
            "HANDLE": (1.0, 0.99),
            "VEHICLE": (1.0, 0.98),
            "DATE_OF_BIRTH": (0.86, 0.98),
            "ADDRESS": (0.93, 0.98),
        },
        "precision": 0.96,
        "places_redacted": 0,
        "geocoding": 0.90,
    },
    "heldout2": {
        "recall": {
            "PERSON": (0.92, 0.98),
            "PHONE": (1.0, 0.99),
            "EMAIL": (1.0, 0.99),
            "ID_NUMBER": (1.0, 0.99),
            "PAYMENT": (1.0, 0.99),
            "HANDLE": (0.85, 0.99),
            "VEHICLE": (1.0, 0.98),
            "DATE_OF_BIRTH": (0.97, 0.98),
            "ADDRESS": (0.85, 0.98),
        },
        "precision": 0.95,
        "places_redacted": 2,
        "geocoding": 0.88,
    },
}


@pytest.fixture(scope="module", params=list(HELDOUT))
def heldout(request):
    return request.param, evaluate(heldout=request.param)


@pytest.mark.parametrize("label", list(HELDOUT["heldout"]["recall"]))
def test_heldout_recall_stays_above_its_floor(heldout, label):
    name, scores = heldout
    assert scores.recall(label) >= HELDOUT[name]["recall"][label][0]


@pytest.mark.parametrize("label", list(HELDOUT["heldout"]["recall"]))
def test_heldout_recall_target(heldout, label, request):
    name, scores = heldout
    floor, target = HELDOUT[name]["recall"][label]
    _xfail_until_met(request, f"{name} {label}", floor, target)
    assert scores.recall(label) >= target


def test_heldout_precision_places_and_geocoding(heldout):
    name, scores = heldout
    expected = HELDOUT[name]
    assert scores.precision >= expected["precision"]
    assert scores.places_redacted <= expected["places_redacted"]
    for language in GEOCODING:
        assert scores.geocoding(language) >= expected["geocoding"], language


def test_heldout_keeps_every_place(heldout, request):
    name, scores = heldout
    _xfail_until_met(request, f"{name} places kept", -HELDOUT[name]["places_redacted"], 0)
    assert scores.places_redacted == 0
