import { createHmac } from 'node:crypto';

/** Header carrying the Unix time (seconds) at which a callback was signed. */
export const TIMESTAMP_HEADER = 'x-sandbox-timestamp';
/** Header carrying hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`). */
export const SIGNATURE_HEADER = 'x-sandbox-signature';

/**
 * The callback signature. The timestamp is signed with the body so a captured callback cannot be
 * replayed later with a fresh timestamp: the receiver rejects old timestamps and any change to
 * either part breaks the signature.
 */
export function signCallback(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}
