"""HURIDOCS "Types of Acts" codes on the seeded tags: each one checked against the kept source
extract, and review migration 0010 filling them in on databases seeded before they were known."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from testimony.review.models import Tag, TaxonomyVersion
from testimony.review.services.taxonomy import load_seed

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "testimony" / "review" / "data"
migration = importlib.import_module("testimony.review.migrations.0010_taxonomy_huridocs_codes")


def seed_codes() -> dict[str, str]:
    codes: dict[str, str] = {}

    def walk(nodes: list[dict]) -> None:
        for node in nodes:
            if node["huridocs_code"]:
                codes[node["slug"]] = node["huridocs_code"]
            walk(node.get("children", []))

    walk(load_seed())
    return codes


def extract() -> dict:
    return json.loads((DATA / "huridocs_types_of_acts.json").read_text(encoding="utf-8"))


def entries() -> dict[str, dict]:
    return {entry["code"]: entry for entry in extract()["entries"]}


def test_every_code_in_the_seed_is_an_entry_of_the_kept_source_extract():
    codes = seed_codes()
    assert codes  # the seed does carry codes now
    known = entries()
    for slug, code in codes.items():
        assert code in known, (slug, code)


def test_the_extract_names_its_source_and_holds_each_entrys_ancestors():
    data = extract()
    source = data["source"]
    assert source["repository"] == "https://github.com/huridocs/OpenEvSys"
    assert source["path"] == "schema/mysql-dbpopulate-mt.sql"
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    assert "Affero" in source["licence"]
    assert "HURIDOCS" in source["licence"]
    known = entries()
    for code, entry in known.items():
        # Twelve digits, two per level, the unused levels "00" (the source's huri_code).
        assert re.fullmatch(r"(?:\d\d){6}", code), code
        pairs = [code[i : i + 2] for i in range(0, 12, 2)]
        depth = len(pairs) - next(i for i, pair in enumerate(reversed(pairs)) if pair != "00")
        assert "00" not in pairs[:depth], code
        assert entry["level"] == depth - 1, code
        assert entry["en"].strip(), code
        if entry["level"] == 0:
            assert entry["parent"] is None, code
        else:
            parent = known[entry["parent"]]  # the ancestors are kept too
            assert code.startswith(entry["parent"][: 2 * depth - 2]), code
            assert parent["level"] == entry["level"] - 1, code


def test_the_readme_table_gives_each_tag_its_code_and_the_sources_name_for_it():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    known = entries()
    for slug, code in seed_codes().items():
        row = f"| `{slug}` | `{code}` | {known[code]['en']} |"
        assert row in readme, row


def test_the_migrations_frozen_codes_are_the_seeds():
    assert seed_codes() == migration.CODES


def test_a_fresh_database_has_the_codes_in_version_one_and_the_migration_changes_nothing():
    assert dict(Tag.objects.exclude(huridocs_code="").values_list("slug", "huridocs_code")) == seed_codes()
    assert TaxonomyVersion.objects.count() == 1
    snapshot = {e["slug"]: e["huridocs_code"] for e in TaxonomyVersion.objects.get(number=1).snapshot}
    assert snapshot["extortion"] == seed_codes()["extortion"]

    migration.fill_codes(django_apps, None)

    assert TaxonomyVersion.objects.count() == 1
    assert dict(Tag.objects.exclude(huridocs_code="").values_list("slug", "huridocs_code")) == seed_codes()


def test_on_a_database_seeded_without_codes_it_fills_the_empty_ones_and_records_a_version():
    # As a database seeded before the codes were known, where an administrator has since set one.
    Tag.objects.update(huridocs_code="")
    Tag.objects.filter(slug="extortion").update(huridocs_code="ADMIN-CHOICE")
    before = TaxonomyVersion.objects.count()

    migration.fill_codes(django_apps, None)

    codes = dict(Tag.objects.values_list("slug", "huridocs_code"))
    assert codes["extortion"] == "ADMIN-CHOICE"  # never overwritten
    for slug, code in migration.CODES.items():
        if slug != "extortion":
            assert codes[slug] == code, slug
    assert (
        codes["raid"] == codes["discrimination"] == codes["detention_conditions"] == ""
    )  # no code for these
    version = TaxonomyVersion.objects.order_by("-number").first()
    assert TaxonomyVersion.objects.count() == before + 1
    assert version.by is None
    snapshot = {entry["slug"]: entry["huridocs_code"] for entry in version.snapshot}
    assert snapshot == codes  # every tag, as it now is

    migration.fill_codes(django_apps, None)  # running again finds nothing to do
    assert TaxonomyVersion.objects.count() == before + 1
