#!/usr/bin/env bash
# The test suite: unit tests always; browser tests with Chromium; integration tests with the real
# PostgreSQL, Redis and a Celery worker. Outside CI a missing service or browser is skipped and
# said plainly; in CI (CI=true) it is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
IN_CI="${CI:-false}"
failed=0
skipped=()

# A temp directory of the suite's own: the privacy tests search "the temp directory" for plaintext,
# and that should be the one the platform writes to, not whatever else the machine keeps in /tmp.
TMPDIR="$(mktemp -d)"
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT

section() { printf '\n== %s\n' "$1"; }
missing() {
  if [ "$IN_CI" = "true" ]; then
    echo "FAIL: $1 (required in CI)"; failed=1
  else
    skipped+=("$1 — $2")
  fi
}

section "unit tests (SQLite, eager tasks)"
$PY -m pytest tests/unit -q -p no:cacheprovider || failed=1

section "JavaScript unit tests"
if ! command -v node >/dev/null; then
  missing "JavaScript unit tests: node is not installed" "install Node.js 18+, cd frontend && npm ci"
elif [ ! -d frontend/node_modules ]; then
  missing "JavaScript unit tests: frontend/node_modules is missing" "cd frontend && npm ci"
else
  node --test tests/unit/js/ || failed=1
fi

section "browser tests (Playwright + Debian Chromium)"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  browser_args=()
  if [ ! -x tests/browser/lighthouse/node_modules/.bin/lighthouse ]; then
    # Chromium alone runs every browser test but the Lighthouse scores, which need its npm package.
    missing "Lighthouse scores: tests/browser/lighthouse/node_modules is missing" "cd tests/browser/lighthouse && npm ci"
    [ "$IN_CI" = "true" ] || browser_args=(--ignore=tests/browser/test_lighthouse.py)
  fi
  CHROMIUM_PATH="$CHROMIUM" $PY -m pytest tests/browser -q -p no:cacheprovider "${browser_args[@]}" || failed=1
else
  missing "browser tests: no Chromium at $CHROMIUM" "apt-get install chromium (or set CHROMIUM_PATH), then make test"
fi

section "integration tests (PostgreSQL, Redis, gunicorn, Celery worker)"
PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/testimony_it}"
REDIS_BASE="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
if $PY scripts/services_up.py "$PG_URL" "$REDIS_BASE"; then
  it_var=$(mktemp -d)
  VAR_DIR="$it_var" $PY manage.py init_keys --keys-dir "$it_var/keys" >/dev/null
  # A low proof-of-work difficulty and a light KDF keep 100 submissions quick; the code paths are the same.
  VAR_DIR="$it_var" KEYS_DIR="$it_var/keys" DATABASE_URL="$PG_URL" \
    CELERY_BROKER_URL="$REDIS_BASE/14" REDIS_URL="$REDIS_BASE/15" POW_DIFFICULTY=8 \
    RECEIPT_KDF_MEMORY_KIB=8192 RECEIPT_KDF_ITERATIONS=1 \
    $PY -m pytest tests/integration -q -p no:cacheprovider --ds=config.settings --create-db || failed=1
else
  missing "integration tests: PostgreSQL or Redis is not reachable ($PG_URL, $REDIS_BASE)" \
    "start both, or set TEST_DATABASE_URL and TEST_REDIS_URL, then make test"
fi

if [ ${#skipped[@]} -gt 0 ]; then
  section "SKIPPED"
  for item in "${skipped[@]}"; do echo "  - $item"; done
fi
exit $failed
