#!/usr/bin/env bash
# Writes the dev overlay's secret files (secrets/, gitignored) from what `npm run keys` made:
# .secrets/jwt-*.pem and .env. Run from anywhere; nothing here is ever committed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
[ -f "$root/.env" ] && [ -f "$root/.secrets/jwt-public.pem" ] || {
  echo "make-secrets: run \`npm run keys\` first" >&2
  exit 1
}
set -a
# shellcheck disable=SC1091
. "$root/.env"
set +a
out="$here/secrets"
mkdir -p "$out"
umask 077
cp "$root/.secrets/jwt-public.pem" "$root/.secrets/jwt-private.pem" "$out/"
echo "INTERNAL_API_TOKEN=$INTERNAL_API_TOKEN" >"$out/internal-api.env"
echo "PAYMENT_WEBHOOK_SECRET=$PAYMENT_WEBHOOK_SECRET" >"$out/payment-provider.env"
for name in user catalog order payment delivery; do
  password_var="$(echo "$name" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  password="${!password_var}"
  # The passwords are hex (npm run keys), so they need no escaping inside the URL.
  {
    echo "POSTGRES_PASSWORD=$password"
    echo "DATABASE_URL=postgres://sky_$name:$password@$name-postgres:5432/sky_$name"
  } >"$out/$name-database.env"
done
echo "wrote $out"
