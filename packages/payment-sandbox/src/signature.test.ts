import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCallback } from './signature.ts';

describe('signCallback', () => {
  const secret = 'a-test-secret-of-at-least-32-chars!!';

  it('is hex HMAC-SHA256 over "timestamp.body"', () => {
    const expected = createHmac('sha256', secret).update('1700000000.{"a":1}').digest('hex');
    expect(signCallback(secret, 1700000000, '{"a":1}')).toBe(expected);
  });

  it('changes with the timestamp, the body and the secret', () => {
    const base = signCallback(secret, 1, 'x');
    expect(signCallback(secret, 2, 'x')).not.toBe(base);
    expect(signCallback(secret, 1, 'y')).not.toBe(base);
    expect(signCallback(`${secret}?`, 1, 'x')).not.toBe(base);
  });
});
