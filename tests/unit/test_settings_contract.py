"""Every variable the code reads from the environment is documented in .env.example."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
READERS = re.compile(r'env_(?:str|optional|required|bool|int|list|secret|path|rate)\(\s*"([A-Z0-9_]+)"')
OS_READS = re.compile(r'os\.environ\.get\("([A-Z0-9_]+)"')


def _documented() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^([A-Z0-9_]+)=", line)
        if match:
            names.add(match.group(1))
    return names


def test_every_environment_variable_is_in_env_example():
    read = set(READERS.findall((ROOT / "config" / "settings.py").read_text()))
    read |= set(OS_READS.findall((ROOT / "config" / "gunicorn.py").read_text()))
    assert read, "the pattern found no settings at all"
    assert read - _documented() == set()


def test_strict_boolean_refuses_anything_but_true_or_false(monkeypatch):
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_bool

    monkeypatch.setenv("X_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG", False)
    monkeypatch.setenv("X_FLAG", "true")
    assert env_bool("X_FLAG", False) is True


def test_secret_file_wins_over_the_variable(monkeypatch, tmp_path):
    from config.env import env_secret

    (tmp_path / "secret").write_text("from-file\n")
    monkeypatch.setenv("X_SECRET", "from-env")
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "secret"))
    assert env_secret("X_SECRET") == "from-file"


@pytest.mark.parametrize("value", ["120 per minute", "120/min", "0/minute", "/minute", "abc/hour"])
def test_rate_refuses_what_the_throttle_would_fail_on_at_each_request(monkeypatch, value):
    from config.env import env_rate

    monkeypatch.setenv("X_RATE", value)
    with pytest.raises(ImproperlyConfigured):
        env_rate("X_RATE", "120/minute")


def test_rate_takes_a_count_per_period(monkeypatch):
    from config.env import env_rate

    monkeypatch.setenv("X_RATE", "5/hour")
    assert env_rate("X_RATE", "120/minute") == "5/hour"
    monkeypatch.delenv("X_RATE")
    assert env_rate("X_RATE", "120/minute") == "120/minute"
