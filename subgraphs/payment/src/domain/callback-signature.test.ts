import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyCallbackSignature } from './callback-signature.ts';

const secret = 'payment-test-secret-0123456789abcdef';
const body = Buffer.from('{"eventId":"evt_1","status":"SUCCEEDED"}');
const now = 1_800_000_000;
const sign = (timestamp: number, raw: Buffer = body, key = secret) =>
  createHmac('sha256', key).update(`${timestamp}.`).update(raw).digest('hex');

const verify = (overrides: Partial<Parameters<typeof verifyCallbackSignature>[0]> = {}) =>
  verifyCallbackSignature({
    secret,
    timestampHeader: String(now),
    signatureHeader: sign(now),
    rawBody: body,
    nowSeconds: now,
    toleranceSeconds: 300,
    ...overrides,
  });

describe('verifyCallbackSignature', () => {
  it('accepts the HMAC of "timestamp.body" within the tolerance', () => {
    expect(verify()).toEqual({ valid: true });
    expect(verify({ nowSeconds: now + 300 })).toEqual({ valid: true });
    expect(verify({ signatureHeader: sign(now).toUpperCase() })).toEqual({ valid: true });
  });

  it('refuses missing headers', () => {
    expect(verify({ signatureHeader: undefined })).toEqual({ valid: false, reason: 'MISSING' });
    expect(verify({ timestampHeader: undefined })).toEqual({ valid: false, reason: 'MISSING' });
  });

  it('refuses malformed headers', () => {
    expect(verify({ timestampHeader: '12a' })).toMatchObject({ reason: 'MALFORMED' });
    expect(verify({ signatureHeader: 'abc' })).toMatchObject({ reason: 'MALFORMED' });
  });

  it('refuses a tampered body, another timestamp and another secret', () => {
    expect(
      verify({ rawBody: Buffer.from(body.toString().replace('SUCCEEDED', 'DECLINED')) }),
    ).toMatchObject({ reason: 'MISMATCH' });
    expect(verify({ timestampHeader: String(now + 1) })).toMatchObject({ reason: 'MISMATCH' });
    expect(verify({ signatureHeader: sign(now, body, `${secret}x`) })).toMatchObject({
      reason: 'MISMATCH',
    });
  });

  it('refuses a genuine signature that is too old or from the future', () => {
    expect(verify({ nowSeconds: now + 301 })).toEqual({ valid: false, reason: 'EXPIRED' });
    expect(verify({ nowSeconds: now - 301 })).toEqual({ valid: false, reason: 'EXPIRED' });
  });
});
