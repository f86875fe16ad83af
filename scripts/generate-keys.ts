/**
 * Writes the JWT signing key pair that server mode (docker-compose.yml) mounts as secrets.
 * The embedded mode makes its own pair in .data/keys on first start.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair } from '@sky/auth';

const dir = join(import.meta.dirname, '..', '.secrets');
const privatePath = join(dir, 'jwt-private.pem');
if (existsSync(privatePath)) {
  console.log(`${privatePath} exists; delete it first to rotate the keys.`);
  process.exit(0);
}
mkdirSync(dir, { recursive: true });
const pair = generateKeyPair();
writeFileSync(privatePath, pair.privateKeyPem, { mode: 0o600 });
writeFileSync(join(dir, 'jwt-public.pem'), pair.publicKeyPem);
// Shared secrets of server mode, read by docker-compose from .env.
writeFileSync(
  join(dir, '..', '.env'),
  [
    `INTERNAL_API_TOKEN=${randomBytes(32).toString('hex')}`,
    `PAYMENT_WEBHOOK_SECRET=${randomBytes(32).toString('hex')}`,
    // PostgreSQL: the administrator and one role per subgraph (deploy/postgres-init.sql).
    `POSTGRES_ADMIN_PASSWORD=${randomBytes(24).toString('hex')}`,
    ...['USER', 'CATALOG', 'ORDER', 'PAYMENT', 'DELIVERY'].map(
      (name) => `${name}_DB_PASSWORD=${randomBytes(24).toString('hex')}`,
    ),
    // MinIO's root user, which the catalog uses for its image bucket (section 12.2).
    `MINIO_ROOT_PASSWORD=${randomBytes(24).toString('hex')}`,
    // Grafana's admin (anonymous visitors only view the dashboards).
    `GRAFANA_ADMIN_PASSWORD=${randomBytes(16).toString('hex')}`,
    '',
  ].join('\n'),
  { mode: 0o600 },
);
console.log(`wrote ${dir}/jwt-private.pem, jwt-public.pem and .env`);
