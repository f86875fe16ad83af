#!/usr/bin/env bash
# Validates docker-compose.yml (no Docker daemon needed). Debian: apt-get install docker-compose.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v docker-compose >/dev/null 2>&1; then
  docker-compose config -q
elif docker compose version >/dev/null 2>&1; then
  docker compose config -q
else
  echo "check-compose: neither docker-compose nor 'docker compose' is installed (Debian: apt-get install docker-compose)" >&2
  exit 1
fi
echo "docker-compose.yml is valid"
