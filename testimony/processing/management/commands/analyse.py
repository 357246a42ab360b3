"""manage.py analyse IN.jsonl OUT.jsonl — the analysis pipeline on a file, with no database."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError

from testimony.analysis.pipeline import analyse


class Command(BaseCommand):
    help = (
        'Read {"id", "text", optional "language"} per line and write the analysis per line '
        "(language, redacted_text, redactions, places, suggested_tags). Use - for stdin/stdout."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("input")
        parser.add_argument("output")

    def handle(self, *args, input: str, output: str, **options) -> None:
        with ExitStack() as stack:
            source: TextIO = sys.stdin if input == "-" else stack.enter_context(open(input, encoding="utf-8"))
            target: TextIO = (
                self.stdout._out
                if output == "-"
                else stack.enter_context(open(output, "w", encoding="utf-8"))
            )
            for number, line in enumerate(source, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    text, identifier = item["text"], item["id"]
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise CommandError(
                        f"line {number}: expected a JSON object with id and text ({exc})"
                    ) from None
                if not isinstance(text, str):
                    raise CommandError(f"line {number}: text must be a string")
                result = analyse(text, language_hint=item.get("language"))
                target.write(json.dumps({"id": identifier, **result}, ensure_ascii=False) + "\n")
