import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header with the Unix time (seconds) at which the provider signed the callback. */
export const TIMESTAMP_HEADER = 'x-sandbox-timestamp';
/** Header with hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`). */
export const SIGNATURE_HEADER = 'x-sandbox-signature';

export type SignatureVerdict =
  { valid: true } | { valid: false; reason: 'MISSING' | 'MALFORMED' | 'MISMATCH' | 'EXPIRED' };

/**
 * Checks a provider callback: the signature must be the HMAC of exactly these bytes with this
 * timestamp (compared in constant time), and the timestamp within `toleranceSeconds` of now, so
 * a captured callback cannot be replayed later. The payment subgraph implements this on its own
 * rather than importing the sandbox's code: it is the receiving side of a provider protocol.
 */
export function verifyCallbackSignature(input: {
  secret: string;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  rawBody: Buffer;
  nowSeconds: number;
  toleranceSeconds: number;
}): SignatureVerdict {
  const { timestampHeader, signatureHeader } = input;
  if (!timestampHeader || !signatureHeader) return { valid: false, reason: 'MISSING' };
  if (!/^\d{1,12}$/.test(timestampHeader) || !/^[0-9a-f]{64}$/i.test(signatureHeader)) {
    return { valid: false, reason: 'MALFORMED' };
  }
  const expected = createHmac('sha256', input.secret)
    .update(`${timestampHeader}.`)
    .update(input.rawBody)
    .digest();
  const given = Buffer.from(signatureHeader, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, reason: 'MISMATCH' };
  }
  // Only a genuine signature is checked for age, so the log tells forgeries from replays.
  if (Math.abs(input.nowSeconds - Number(timestampHeader)) > input.toleranceSeconds) {
    return { valid: false, reason: 'EXPIRED' };
  }
  return { valid: true };
}
