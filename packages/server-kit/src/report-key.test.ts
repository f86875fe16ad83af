import { describe, expect, it } from 'vitest';
import { parseReportKey, reportKey } from './report-key.ts';
import { SafeIntScalar } from './scalars.ts';

const codeOf = (work: () => unknown) => {
  try {
    work();
    return 'ok';
  } catch (error) {
    const { extensions } = error as { extensions: { code: string; field?: string } };
    return `${extensions.code}:${extensions.field ?? ''}`;
  }
};

describe('report keys', () => {
  it('round-trip through the entity id, every day listed', () => {
    const key = reportKey(
      '0190A000-0000-7000-8000-000000000001',
      '2026-02-27',
      '2026-03-01',
      'utc',
    );
    expect(key.id).toBe('0190a000-0000-7000-8000-000000000001|2026-02-27|2026-03-01|UTC');
    expect(key.days).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(parseReportKey(key.id)).toEqual(key);
    expect(parseReportKey('platform|2026-01-01|2026-01-01|Asia/Shanghai').merchantId).toBeNull();
  });

  it('refuse bad input with the field', () => {
    expect(codeOf(() => reportKey(null, '2026-02-29', '2026-03-01', 'UTC'))).toBe(
      'BAD_USER_INPUT:from',
    );
    expect(codeOf(() => reportKey(null, '2026-03-02', '2026-03-01', 'UTC'))).toBe(
      'BAD_USER_INPUT:from',
    );
    expect(codeOf(() => reportKey(null, '2025-01-01', '2026-01-02', 'UTC'))).toBe(
      'BAD_USER_INPUT:to',
    );
    expect(codeOf(() => reportKey(null, '2024-01-01', '2024-12-31', 'UTC'))).toBe('ok');
    expect(codeOf(() => reportKey(null, '2026-01-01', '2026-01-01', 'Nowhere/Land'))).toBe(
      'BAD_USER_INPUT:timeZone',
    );
    expect(codeOf(() => reportKey('1; DROP', '2026-01-01', '2026-01-01', 'UTC'))).toBe(
      'BAD_USER_INPUT:merchantId',
    );
    expect(codeOf(() => parseReportKey('platform|2026-01-01'))).toBe('BAD_USER_INPUT:id');
  });
});

describe('SafeInt', () => {
  it('passes integers up to 2^53 - 1 exactly and refuses what it cannot represent', () => {
    expect(SafeIntScalar.serialize(2 ** 31 + 5)).toBe(2147483653);
    expect(SafeIntScalar.serialize(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => SafeIntScalar.serialize(2n ** 53n + 1n)).toThrow();
    expect(() => SafeIntScalar.serialize(1.5)).toThrow();
    expect(() => SafeIntScalar.parseValue(2 ** 53)).toThrow();
    expect(SafeIntScalar.parseValue(-(2 ** 40))).toBe(-(2 ** 40));
  });
});
