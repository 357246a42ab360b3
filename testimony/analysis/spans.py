"""The values every analysis module returns."""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "PERSON"
PHONE = "PHONE"
EMAIL = "EMAIL"
ID_NUMBER = "ID_NUMBER"
ADDRESS = "ADDRESS"
PAYMENT = "PAYMENT"
HANDLE = "HANDLE"
VEHICLE = "VEHICLE"
DATE_OF_BIRTH = "DATE_OF_BIRTH"
LABELS = (PERSON, PHONE, EMAIL, ID_NUMBER, ADDRESS, PAYMENT, HANDLE, VEHICLE, DATE_OF_BIRTH)

PRECISIONS = ("site", "city", "admin1", "country")


@dataclass(frozen=True)
class Span:
    """Something to redact: ``text[start:end]`` (Python string offsets), with a label.

    ``key`` identifies the thing itself, so that every mention of it gets the same placeholder:
    the digits of a phone number, a lower-cased e-mail, a normalised surname ("holikov" for
    Холиков, Холикова, Xoliqov). Recognisers set it; None means "this span only".
    """

    start: int
    end: int
    label: str
    key: str | None = None
    score: float = 1.0


@dataclass(frozen=True)
class Place:
    """A place named in the text, resolved in the gazetteer (coordinates not yet coarsened)."""

    start: int
    end: int
    text: str
    name: str
    country: str  # ISO 3166-1 alpha-2
    admin1: str  # region name, "" when unknown
    lat: float
    lon: float
    precision: str  # one of PRECISIONS
    geonameid: str = ""
