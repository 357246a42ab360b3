# Two commands for everyone: `make run` and `make test`. Needs Python 3.11+ and nothing else.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test install install-test lint lock messages demo-keys

$(VENV)/.run-installed: requirements/lock.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/lock.txt
	@touch $@

$(VENV)/.test-installed: requirements/test-lock.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/test-lock.txt
	@touch $@ $(VENV)/.run-installed

install: $(VENV)/.run-installed
	@$(PY) manage.py compile_catalogues -v 0 >/dev/null
	@$(PY) manage.py collectstatic --noinput -v 0

install-test: $(VENV)/.test-installed install

run: install
	@scripts/run.sh

test: install-test
	@scripts/test.sh

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Regenerate the hashed lockfiles after editing pyproject.toml (needs `pip install uv`).
lock:
	uv pip compile pyproject.toml -o requirements/lock.txt --generate-hashes --python-version 3.11
	uv pip compile pyproject.toml --extra test -o requirements/test-lock.txt --generate-hashes --python-version 3.11

# Re-extract translatable strings (needs GNU gettext's xgettext). The "django" domain only:
# locale/*/LC_MESSAGES/djangojs.po hold django-otp-webauthn's script words, which are not in
# our sources, so `makemessages -d djangojs` would throw them away (see the file's header).
messages:
	$(PY) manage.py makemessages -l ru -l uz -l tg -l ky -l kk -l en --no-obsolete \
		--ignore=.venv --ignore=frontend --ignore=var --ignore=tests --ignore=static
