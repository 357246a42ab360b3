#!/usr/bin/env bash
# Set up and run the whole platform on embedded defaults: SQLite and a filesystem broker under
# var/, development keys in var/keys, demo data, web and worker together.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
export VAR_DIR="${VAR_DIR:-$PWD/var}"
KEYS="${KEYS_DIR:-$VAR_DIR/keys}"

if [ ! -f "$KEYS/intake_recipient.txt" ]; then
  echo "Creating development keys in $KEYS (never commit them)."
  $PY manage.py init_keys --keys-dir "$KEYS" >/dev/null
fi
$PY manage.py migrate --noinput -v 0
$PY manage.py createcachetable
$PY manage.py load_demo
# Demo console accounts (local demo only): created once, their logins printed at the end.
DEMO_ACCOUNTS="$($PY manage.py load_demo_accounts)"

# Only the worker holds the intake identity; the web process gets the recipient alone.
AGE_IDENTITY_FILE="$KEYS/intake_identity.age" .venv/bin/celery -A config worker --beat -Q celery,evidence \
  --loglevel=WARNING --concurrency=2 --schedule "$VAR_DIR/celerybeat-schedule" &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM

cat <<MSG

  Testimony platform is running:  http://127.0.0.1:$PORT/
  Follow-up page:                 http://127.0.0.1:$PORT/ru/followup/   (demo receipts are printed above)
  API schema:                     http://127.0.0.1:$PORT/api/schema/
  Reviewer console:               http://127.0.0.1:$PORT/console/   (use "localhost" for security keys)

  $DEMO_ACCOUNTS
  Add a TOTP secret to an authenticator app, or print the current code with
    $PY manage.py load_demo_accounts --code demo-reviewer
  These accounts and passwords are for this local demo only; never use them on a real server.

  Stop with Ctrl-C.
MSG
env -u AGE_IDENTITY_FILE GUNICORN_BIND="127.0.0.1:$PORT" .venv/bin/gunicorn -c config/gunicorn.py config.wsgi:application
