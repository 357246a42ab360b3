"""The taxonomy: seeding version 1, and the administrators' edits, each one a new version.

A version's snapshot holds every tag (slug, parent slug, labels, code, position, state), so an
export can state exactly which taxonomy its tags come from. Slugs never change and tags are never
deleted: reports, cases and exports refer to them, so a tag that is no longer wanted is deactivated
(it stays on what it tagged and stops being offered).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from testimony.accounts.permissions import can
from testimony.audit.services import audit_record
from testimony.review.models import Tag, TaxonomyVersion

SEED_PATH = Path(__file__).resolve().parent.parent / "data" / "taxonomy_seed.json"
# Console languages and the submitter-side ones (shown to submitters for top-level tags).
LABEL_LANGUAGES = ("en", "ru", "uz", "tg", "ky", "kk")
REQUIRED_LABELS = ("en", "ru")


def load_seed() -> list[dict]:
    return json.loads(SEED_PATH.read_text(encoding="utf-8"))["tags"]


def snapshot_of(tags) -> list[dict]:
    """Every tag as plain data. Works on historical models too (the seed migration uses it)."""
    slugs = {tag.pk: tag.slug for tag in tags}
    return [
        {
            "slug": tag.slug,
            "parent": slugs.get(tag.parent_id),
            "labels": dict(tag.labels),
            "huridocs_code": tag.huridocs_code,
            "position": tag.position,
            "active": tag.active,
        }
        for tag in sorted(tags, key=lambda t: (t.parent_id is not None, t.position, t.slug))
    ]


def seed_taxonomy(tag_model, version_model) -> int:
    """Create the seed's tags that do not exist yet, and version 1 if there is none. Idempotent."""
    created = 0

    def add(nodes: list[dict], parent) -> None:
        nonlocal created
        for position, node in enumerate(nodes):
            tag, new = tag_model.objects.get_or_create(
                slug=node["slug"],
                defaults={
                    "parent": parent,
                    "labels": node["labels"],
                    "huridocs_code": node.get("huridocs_code", ""),
                    "position": position,
                },
            )
            created += int(new)
            add(node.get("children", []), tag)

    add(load_seed(), None)
    if not version_model.objects.exists():
        version_model.objects.create(number=1, by=None, snapshot=snapshot_of(list(tag_model.objects.all())))
    return created


# --- Reads -----------------------------------------------------------------------------------


@dataclass
class TagNode:
    tag: Tag
    label: str
    depth: int
    in_use: int = 0
    children: list[TagNode] = field(default_factory=list)


def taxonomy_tree(*, language: str, include_inactive: bool = True) -> list[TagNode]:
    """The tags as a tree, labelled in ``language`` (English where that label is missing)."""
    tags = list(Tag.objects.all())
    if not include_inactive:
        tags = [tag for tag in tags if tag.active]
    nodes = {tag.pk: TagNode(tag=tag, label=tag.label(language), depth=0) for tag in tags}
    roots: list[TagNode] = []
    for tag in tags:
        node = nodes[tag.pk]
        parent = nodes.get(tag.parent_id)
        (parent.children if parent else roots).append(node)

    def sort(level: list[TagNode], depth: int) -> None:
        level.sort(key=lambda n: (n.tag.position, n.tag.slug))
        for node in level:
            node.depth = depth
            sort(node.children, depth + 1)

    sort(roots, 0)
    return roots


def flatten(nodes: list[TagNode]) -> list[TagNode]:
    out: list[TagNode] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def taxonomy_current_version() -> TaxonomyVersion | None:
    return TaxonomyVersion.objects.order_by("-number").first()


def tag_usage(tag_id: int) -> int:
    """Reports and cases carrying the tag: such a tag can only be deactivated."""
    tag = Tag.objects.get(pk=tag_id)
    return tag.report_tags.count() + tag.cases.count()


# --- Writes ----------------------------------------------------------------------------------


def _require_edit(user) -> None:
    if not can(user, "taxonomy.edit"):
        raise PermissionDenied("taxonomy.edit")


def _clean_labels(labels: dict) -> dict:
    cleaned = {lang: (labels.get(lang) or "").strip() for lang in LABEL_LANGUAGES}
    missing = [lang for lang in REQUIRED_LABELS if not cleaned[lang]]
    if missing:
        raise ValidationError(_("A label is needed in: %(languages)s.") % {"languages": ", ".join(missing)})
    return {lang: text for lang, text in cleaned.items() if text}


def _check_parent(tag: Tag | None, parent: Tag | None) -> None:
    """A tag cannot sit under itself or under one of its own descendants."""
    node = parent
    while node is not None and tag is not None:
        if node.pk == tag.pk:
            raise ValidationError(_("A tag cannot be moved under itself or one of its children."))
        node = node.parent


def _bump_version(user) -> TaxonomyVersion:
    """A new version with the full snapshot. Caller is inside the edit's transaction.

    The unique version number guards against two concurrent edits taking the same number: the
    second fails and is retried by the administrator.
    """
    last = TaxonomyVersion.objects.aggregate(last=Max("number"))["last"] or 0
    return TaxonomyVersion.objects.create(
        number=last + 1, by=user, snapshot=snapshot_of(list(Tag.objects.select_for_update()))
    )


def tag_create(
    *, user, slug: str, parent_id: int | None, labels: dict, huridocs_code: str = "", position: int = 0
) -> Tag:
    _require_edit(user)
    labels = _clean_labels(labels)
    with transaction.atomic():
        parent = Tag.objects.get(pk=parent_id) if parent_id else None
        try:
            with transaction.atomic():  # the unique slug decides, not a check before the insert
                tag = Tag.objects.create(
                    slug=slug,
                    parent=parent,
                    labels=labels,
                    huridocs_code=huridocs_code.strip(),
                    position=position,
                )
        except IntegrityError:
            raise ValidationError(_("A tag with this identifier exists already.")) from None
        version = _bump_version(user)
        audit_record(
            actor=user,
            action="taxonomy.tag_create",
            object_type="tag",
            object_id=tag.pk,
            details={"slug": tag.slug, "parent": parent.slug if parent else None, "version": version.number},
        )
    return tag


def tag_update(
    *, user, tag_id: int, labels: dict, huridocs_code: str, position: int, parent_id: int | None
) -> Tag:
    """Relabel, recode, reorder or move a tag (its slug stays). A no-op edit makes no version."""
    _require_edit(user)
    labels = _clean_labels(labels)
    with transaction.atomic():
        tag = Tag.objects.select_for_update().get(pk=tag_id)
        parent = Tag.objects.get(pk=parent_id) if parent_id else None
        _check_parent(tag, parent)
        changes = {
            "labels": labels,
            "huridocs_code": huridocs_code.strip(),
            "position": position,
            "parent_id": parent.pk if parent else None,
        }
        changed = [name for name, value in changes.items() if getattr(tag, name) != value]
        if not changed:
            return tag
        old_parent = tag.parent.slug if tag.parent_id else None
        for name in changed:
            setattr(tag, name, changes[name])
        tag.save(update_fields=[name.removesuffix("_id") for name in changed])
        version = _bump_version(user)
        details = {
            "slug": tag.slug,
            "changed": sorted(c.removesuffix("_id") for c in changed),
            "version": version.number,
        }
        if "parent_id" in changed:
            details["moved"] = {"from": old_parent, "to": parent.slug if parent else None}
        audit_record(
            actor=user, action="taxonomy.tag_update", object_type="tag", object_id=tag.pk, details=details
        )
    return tag


def tag_set_active(*, user, tag_id: int, active: bool) -> Tag:
    """Deactivate (or reactivate) a tag. Tags are never deleted: what they tagged keeps them."""
    _require_edit(user)
    with transaction.atomic():
        tag = Tag.objects.select_for_update().get(pk=tag_id)
        if tag.active == active:
            return tag
        tag.active = active
        tag.save(update_fields=["active"])
        version = _bump_version(user)
        audit_record(
            actor=user,
            action="taxonomy.tag_activate" if active else "taxonomy.tag_deactivate",
            object_type="tag",
            object_id=tag.pk,
            details={"slug": tag.slug, "version": version.number, "in_use": tag_usage(tag.pk)},
        )
    return tag
