/**
 * The cost of verifying one access token (every request through the gateway and every subgraph
 * hop verifies the caller's token): jsonwebtoken given the public key as PEM text, which parses
 * the PEM into a key on every call, against the key parsed once (what TokenVerifier keeps).
 * Alternating A B A B in one process, median of the rounds.
 *   npm exec -- tsx bench/token-verify.ts [-- --rounds 5 --tokens 2000]
 */
import jwt from 'jsonwebtoken';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { median, numberArg } from './measure.ts';

const ROUNDS = numberArg('rounds', 5);
const TOKENS = numberArg('tokens', 2000);
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const parsed = createPublicKey(publicPem);
const token = jwt.sign({ roles: ['CUSTOMER'] }, privateKey, {
  algorithm: 'ES256',
  subject: 'user',
  expiresIn: 600,
});
const options = { algorithms: ['ES256' as const] };

function rate(key: string | ReturnType<typeof createPublicKey>): number {
  const started = performance.now();
  for (let i = 0; i < TOKENS; i++) jwt.verify(token, key, options);
  return TOKENS / ((performance.now() - started) / 1000);
}

const pem: number[] = [];
const keyObject: number[] = [];
rate(publicPem); // warm-up
rate(parsed);
for (let round = 1; round <= ROUNDS; round++) {
  pem.push(rate(publicPem));
  keyObject.push(rate(parsed));
  console.log(
    `round ${round}: PEM ${pem.at(-1)!.toFixed(0)}/s, parsed key ${keyObject.at(-1)!.toFixed(0)}/s`,
  );
}
console.log(
  `median of ${ROUNDS}: PEM ${median(pem).toFixed(0)} verifications/s, parsed key ${median(keyObject).toFixed(0)}/s, ratio ${(median(keyObject) / median(pem)).toFixed(2)}x`,
);
