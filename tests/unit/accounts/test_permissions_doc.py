"""docs/permissions.md shows the same matrix as permissions.PERMISSIONS: they cannot drift apart."""

from __future__ import annotations

from pathlib import Path

from testimony.accounts.models import Role
from testimony.accounts.permissions import PERMISSIONS

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


def parse_matrix(text: str) -> dict[str, frozenset[str]]:
    """The table whose header starts ``| action |``: role columns, ✓ where allowed."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.replace(" ", "").startswith("|action|"))
    header = [cell.strip() for cell in lines[start].strip().strip("|").split("|")]
    roles = [name for name in header[1:] if name in Role.values]
    assert roles, "no role columns in the matrix header"
    matrix: dict[str, frozenset[str]] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        action = cells[0].strip("`")
        assert action not in matrix, f"{action} appears twice"
        matrix[action] = frozenset(
            role for role, cell in zip(roles, cells[1 : 1 + len(roles)], strict=True) if cell == "✓"
        )
        stray = [c for c in cells[1 : 1 + len(roles)] if c not in ("", "✓")]
        assert not stray, f"{action}: unexpected cells {stray}"
    return matrix


def test_the_documented_matrix_is_the_enforced_one():
    documented = parse_matrix(DOC.read_text(encoding="utf-8"))
    enforced = {action: frozenset(str(role) for role in roles) for action, roles in PERMISSIONS.items()}
    assert set(documented) == set(enforced), "actions differ between docs/permissions.md and PERMISSIONS"
    for action, roles in enforced.items():
        assert documented[action] == roles, (
            f"{action}: docs say {sorted(documented[action])}, code {sorted(roles)}"
        )


def test_every_role_has_a_column():
    text = DOC.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if line.replace(" ", "").startswith("|action|"))
    for role in Role.values:
        assert f"| {role} |" in header


def test_the_parser_notices_a_difference():
    text = DOC.read_text(encoding="utf-8")
    tampered = text.replace("| `audit.view` |  |  |  |  | ✓ |", "| `audit.view` | ✓ |  |  |  | ✓ |")
    assert tampered != text
    assert parse_matrix(tampered)["audit.view"] != PERMISSIONS["audit.view"]
