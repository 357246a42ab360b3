"""Quality on the labelled evaluation sets (tests/analysis_eval), against the issue's targets.

Every figure has a floor it must not fall below (what the pipeline measured when the floor was
last raised) and the target the issue asks for. Targets not yet reached are strict xfails: they
fail the suite the day they start passing, so the floor is raised and the mark removed.

Sets: "main" was developed against, so its figures are optimistic; "heldout" was written blind
but has since informed which categories of miss were fixed; so has "heldout2", once blind, whose
misses were studied by category after its first measurement (PERSON 0.925, ADDRESS 0.85, HANDLE
0.85, precision 0.959, two places redacted). Honest figures come from a set nobody has studied:
"heldout3", measured blind once, then opened to fix categories; now "heldout4", measured blind
once, then studied; so were "heldout5", "heldout6" and, since 2026-11-22, "heldout7". "heldout8"
and "heldout9" have been measured blind (their totals only, on a few versions of the code) and
nobody has studied their misses.
"""

import pytest

from tests.analysis_eval.evaluate import Scores, evaluate
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
        "geocoding": dict.fromkeys(LANGUAGES, 1.0),
    },
    "heldout": {
        "recall": PERFECT | {"PERSON": 0.985, "ADDRESS": 0.93},
        "precision": 0.985,
        "places_redacted": 0,
        "geocoding": dict.fromkeys(LANGUAGES, 1.0) | {"kk": 0.96},
    },
    "heldout2": {
        "recall": PERFECT | {"PERSON": 0.985},
        "precision": 0.985,
        "places_redacted": 0,
        "geocoding": dict.fromkeys(LANGUAGES, 1.0),
    },
    # First, blind measurement (2026-11-21), before anyone looked at its misses: PERSON 0.91,
    # precision 0.969. Since raised after PERSON's classes of miss were fixed: no longer blind.
    "heldout3": {
        "recall": PERFECT,
        "precision": 0.99,
        "places_redacted": 0,
        "geocoding": dict.fromkeys(LANGUAGES, 1.0) | {"kk": 0.97},
    },
    # First, blind measurement (2026-11-21): PERSON 0.936, ADDRESS 0.900, DATE_OF_BIRTH 0.892,
    # VEHICLE 0.880, ID_NUMBER 0.976, precision 0.942, 5 places redacted, geocoding 0.80 (ky) to
    # 0.96. Its misses were then studied (2026-11-22) and their classes fixed; some given names
    # it missed went into the general name lists. No longer blind.
    "heldout4": {
        "recall": PERFECT | {"PERSON": 0.99},
        "precision": 0.97,
        "places_redacted": 0,
        "geocoding": dict.fromkeys(LANGUAGES, 1.0) | {"ru": 0.98},
    },
    # First, blind measurement (2026-11-22): PERSON 0.941, ADDRESS 0.881, DATE_OF_BIRTH 0.886,
    # ID_NUMBER 0.922, PHONE 0.988, precision 0.959, 3 places redacted, geocoding 0.926 (ru) to
    # 0.985. Its misses were then studied the same day and their classes fixed. No longer blind.
    "heldout5": {
        "recall": PERFECT | {"PERSON": 0.99},
        "precision": 0.965,
        "places_redacted": 0,
        "geocoding": dict.fromkeys(LANGUAGES, 1.0) | {"uz": 0.98, "kk": 0.98},
    },
    # First, blind measurement (2026-11-22), on three versions of the code: PERSON 0.889 / 0.895 /
    # 0.915 (the code of 2026-11-21, after heldout4's classes, after heldout5's), ADDRESS 0.816 /
    # 0.816 / 0.878, DATE_OF_BIRTH 0.802 / 0.846 / 0.857, ID_NUMBER 0.908 / 0.936 / 0.965, PHONE
    # 0.961 / 0.961 / 0.981, VEHICLE 0.787 / 1.0 / 1.0, precision 0.951 / 0.959 / 0.961, places
    # redacted 14 / 10 / 8, geocoding 0.755-0.938 / 0.810-0.938 / 0.830-0.969. Its misses were
    # then studied the same day for about half an hour. No longer blind.
    "heldout6": {
        "recall": PERFECT | {"PERSON": 0.96, "DATE_OF_BIRTH": 0.985},
        "precision": 0.965,
        "places_redacted": 1,
        "geocoding": {"ru": 0.91, "uz": 0.955, "tg": 1.0, "ky": 0.98, "kk": 0.98, "en": 1.0},
    },
    # Blind until 2026-11-22: measured after the work on heldout4, heldout5 and heldout6 and before
    # anyone looked at its misses; shorter texts, written faster than the other sets. It scored
    # PERSON 0.933 with the code of 2026-11-21, 0.952 before heldout6's study, 0.955 after it, and
    # 0.960 with the Turkic fallback (precision 0.980, one place redacted, ADDRESS 0.833,
    # DATE_OF_BIRTH 0.890, VEHICLE 0.976, geocoding ru 0.926); 0.967 once an English possessive was
    # scored as outside a span. Its misses were then studied and their classes fixed (these
    # floors): no longer blind.
    "heldout7": {
        "recall": PERFECT | {"PERSON": 0.98, "ADDRESS": 0.975, "ID_NUMBER": 0.99},
        "precision": 0.98,
        "places_redacted": 0,
        "geocoding": {"ru": 1.0, "uz": 0.96, "tg": 1.0, "ky": 1.0, "kk": 1.0, "en": 1.0},
    },
    # Blind: written 2026-11-22 by three writers as the others were, measured on the code before
    # the Turkic fallback (PERSON 0.943, precision 0.962, 5 places redacted), after it (PERSON
    # 0.953, DATE_OF_BIRTH 0.786, ADDRESS 0.906, 7 places redacted, geocoding ru 0.831, ky 0.897),
    # with the possessive scored as outside a span (PERSON 0.960), and after heldout7's classes
    # were fixed (these floors). Nobody has studied its misses: keep it so.
    "heldout8": {
        "recall": PERFECT
        | {
            "PERSON": 0.96,
            "ADDRESS": 0.935,
            "DATE_OF_BIRTH": 0.84,
            "PHONE": 0.99,
            "VEHICLE": 0.945,
        },
        "precision": 0.955,
        "places_redacted": 6,
        "geocoding": {"ru": 0.86, "uz": 0.93, "tg": 0.89, "ky": 0.91, "kk": 0.965, "en": 1.0},
    },
    # Blind: written 2026-11-22 by three writers at the start of the work on heldout7's classes,
    # measured before it (PERSON 0.943, DATE_OF_BIRTH 0.833, geocoding ru 0.862, kk 0.931, the
    # rest as now) and after it (these floors). Nobody has studied its misses: keep it so.
    "heldout9": {
        "recall": PERFECT
        | {
            "PERSON": 0.945,
            "ADDRESS": 0.85,
            "DATE_OF_BIRTH": 0.855,
            "ID_NUMBER": 0.975,
            "VEHICLE": 0.91,
        },
        "precision": 0.94,
        "places_redacted": 6,
        "geocoding": {"ru": 0.875, "uz": 0.925, "tg": 0.925, "ky": 0.915, "kk": 0.94, "en": 0.98},
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


def test_a_failing_assertion_on_the_scores_prints_no_text_of_a_set():
    # pytest shows the repr of what an assertion failed on; a blind set's misses must stay unread
    scores = Scores(misses=["kk-12 PERSON: 'Alisher'"])
    assert "Alisher" not in repr(scores)
