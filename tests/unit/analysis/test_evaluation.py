"""Quality on the labelled evaluation sets (tests/analysis_eval), against the issue's targets.

Every figure has a floor it must not fall below (what the pipeline measured when the floor was
last raised) and the target the issue asks for. Targets not yet reached are strict xfails: they
fail the suite the day they start passing, so the floor is raised and the mark removed.

Sets: "main" was developed against, so its figures are optimistic; "heldout" was written blind
but has since informed which categories of miss were fixed; so has "heldout2", once blind, whose
misses were studied by category after its first measurement (PERSON 0.925, ADDRESS 0.85, HANDLE
0.85, precision 0.959, two places redacted). Honest figures come from a set nobody has studied:
"heldout3", measured blind once, then opened to fix categories; now "heldout4", measured blind
once (its floors are that measurement).
"""

import pytest

from tests.analysis_eval.evaluate import evaluate
from tests.analysis_eval.load import LANGUAGES, load

RECALL_TARGET = {
    "PERSON": 0.98,
    "PHONE": 0.99,
    "EMAIL": 0.99,
    "ID_NUMBER": 0.99,
    "PAYMENT": 0.99,
    "HANDLE": 0.99,
    "VEHICLE": 0.98,
    "DATE_OF_BIRTH": 0.98,
    "ADDRESS": 0.98,
}
PRECISION_TARGET = 0.90
GEOCODING_TARGET = 0.90
PERFECT = dict.fromkeys(RECALL_TARGET, 1.0)

# Floors per set: recall per label, character precision, most gold places redacted, geocoding
# accuracy per language.
FLOORS = {
    "main": {
        "recall": PERFECT,
        "precision": 0.99,
        "places_redacted": 0,
        "geocoding": {"ru": 0.94, "uz": 1.0, "tg": 1.0, "ky": 0.96, "kk": 1.0, "en": 0.97},
    },
    "heldout": {
        "recall": PERFECT | {"PERSON": 0.985, "ADDRESS": 0.93},
        "precision": 0.97,
        "places_redacted": 0,
        "geocoding": {"ru": 0.95, "uz": 1.0, "tg": 0.97, "ky": 0.90, "kk": 0.96, "en": 0.94},
    },
    "heldout2": {
        "recall": PERFECT | {"PERSON": 0.985},
        "precision": 0.97,
        "places_redacted": 0,
        "geocoding": {"ru": 1.0, "uz": 0.97, "tg": 1.0, "ky": 0.94, "kk": 0.93, "en": 0.97},
    },
    # First, blind measurement (2026-11-21), before anyone looked at its misses: PERSON 0.91,
    # precision 0.969. Since raised after PERSON's classes of miss were fixed (general mechanisms,
    # no names of the set added): these figures are no longer blind; heldout4 is.
    "heldout3": {
        "recall": PERFECT | {"PERSON": 0.99},
        "precision": 0.98,
        "places_redacted": 0,
        "geocoding": {"ru": 0.96, "uz": 1.0, "tg": 0.97, "ky": 0.95, "kk": 0.97, "en": 1.0},
    },
    # Blind: measured once (2026-11-21), after the DATE_OF_BIRTH crash its first run exposed was
    # fixed (a general fault, no text of the set read), before anyone looked at its misses. These
    # are the honest figures on unseen text; do not tune on this set.
    "heldout4": {
        "recall": PERFECT
        | {"PERSON": 0.935, "ADDRESS": 0.9, "DATE_OF_BIRTH": 0.89, "ID_NUMBER": 0.975, "VEHICLE": 0.88},
        "precision": 0.94,
        "places_redacted": 5,
        "geocoding": {"ru": 0.88, "uz": 0.94, "tg": 0.94, "ky": 0.80, "kk": 0.90, "en": 0.96},
    },
}


@pytest.fixture(scope="module", params=list(FLOORS))
def measured(request):
    name = request.param
    return name, evaluate(heldout=None if name == "main" else name)


def _xfail_until_met(request, name: str, met: bool) -> None:
    if not met:
        request.applymarker(pytest.mark.xfail(strict=True, reason=f"{name}: target not yet met"))


@pytest.mark.parametrize("label", list(RECALL_TARGET))
def test_recall_stays_above_its_floor(measured, label):
    name, scores = measured
    assert scores.gold[label], f"{name} has no gold {label}: its recall would be 1.0 whatever was found"
    assert scores.recall(label) >= FLOORS[name]["recall"][label]


@pytest.mark.parametrize("label", list(RECALL_TARGET))
def test_recall_target(measured, label, request):
    name, scores = measured
    _xfail_until_met(request, f"{name} {label}", FLOORS[name]["recall"][label] >= RECALL_TARGET[label])
    assert scores.recall(label) >= RECALL_TARGET[label]


def test_precision_places_and_geocoding_stay_above_their_floors(measured):
    name, scores = measured
    floors = FLOORS[name]
    assert scores.redacted_chars, f"{name}: nothing redacted, so precision would be 1.0"
    assert scores.precision >= floors["precision"]
    assert scores.places_redacted <= floors["places_redacted"]
    for language, floor in floors["geocoding"].items():
        assert scores.places_gold[language], f"{name} has no gold places in {language}"
        assert scores.geocoding(language) >= floor, language


def test_precision_target(measured, request):
    name, scores = measured
    _xfail_until_met(request, f"{name} precision", FLOORS[name]["precision"] >= PRECISION_TARGET)
    assert scores.precision >= PRECISION_TARGET


def test_every_place_is_kept(measured, request):
    name, scores = measured
    _xfail_until_met(request, f"{name} places kept", FLOORS[name]["places_redacted"] == 0)
    assert scores.places_redacted == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_geocoding_target(measured, language, request):
    name, scores = measured
    _xfail_until_met(
        request, f"{name} geocoding {language}", FLOORS[name]["geocoding"][language] >= GEOCODING_TARGET
    )
    assert scores.geocoding(language) >= GEOCODING_TARGET


def test_evaluation_set_is_big_enough():
    items = load()
    assert len(items) >= 150
    assert {item.language for item in items} == set(LANGUAGES)
