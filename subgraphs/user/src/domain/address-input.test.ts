import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  addAddressFingerprint,
  normalizeAddressPatch,
  normalizeIdempotencyKey,
  normalizeNewAddress,
  type NewAddressInput,
} from './address-input.ts';

const valid: NewAddressInput = {
  contactName: '  Alice Wang ',
  phone: '13800000000',
  detail: ' 上海市黄浦区南京东路 100 号 ',
  label: ' Home ',
  location: { latitude: 31.2304, longitude: 121.4737 },
};

/** The `extensions.field` of the BAD_USER_INPUT thrown by `work`. */
function refusedField(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return (error as GraphQLError).extensions.field;
  }
  throw new Error('expected a refusal');
}

describe('normalizeNewAddress', () => {
  it('trims text and keeps the coordinates', () => {
    expect(normalizeNewAddress(valid)).toEqual({
      contactName: 'Alice Wang',
      phone: '13800000000',
      detail: '上海市黄浦区南京东路 100 号',
      label: 'Home',
      latitude: 31.2304,
      longitude: 121.4737,
    });
  });

  it('stores a missing or blank label as null', () => {
    expect(normalizeNewAddress({ ...valid, label: undefined }).label).toBeNull();
    expect(normalizeNewAddress({ ...valid, label: '   ' }).label).toBeNull();
  });

  it('accepts the edges of the coordinate ranges', () => {
    const corner = normalizeNewAddress({ ...valid, location: { latitude: -90, longitude: 180 } });
    expect([corner.latitude, corner.longitude]).toEqual([-90, 180]);
  });

  it.each([
    ['contactName', { contactName: '   ' }],
    ['contactName', { contactName: 'x'.repeat(65) }],
    ['phone', { phone: '12-34' }],
    ['phone', { phone: '1'.repeat(16) }],
    ['detail', { detail: '' }],
    ['detail', { detail: 'x'.repeat(513) }],
    ['label', { label: 'x'.repeat(33) }],
    ['location.latitude', { location: { latitude: 90.0001, longitude: 0 } }],
    ['location.latitude', { location: { latitude: Number.NaN, longitude: 0 } }],
    ['location.longitude', { location: { latitude: 0, longitude: -180.5 } }],
  ] as const)('refuses a bad %s', (field, change) => {
    expect(refusedField(() => normalizeNewAddress({ ...valid, ...change }))).toBe(field);
  });
});

describe('normalizeAddressPatch', () => {
  it('leaves omitted fields out', () => {
    expect(normalizeAddressPatch({})).toEqual({});
    expect(normalizeAddressPatch({ phone: ' +8613800000000 ' })).toEqual({
      phone: '+8613800000000',
    });
  });

  it('clears the label with null or an empty string', () => {
    expect(normalizeAddressPatch({ label: null })).toEqual({ label: null });
    expect(normalizeAddressPatch({ label: '' })).toEqual({ label: null });
  });

  it('moves both coordinates together', () => {
    expect(normalizeAddressPatch({ location: { latitude: 1, longitude: 2 } })).toEqual({
      latitude: 1,
      longitude: 2,
    });
  });

  it.each(['contactName', 'phone', 'detail', 'location'] as const)(
    'refuses null for the required field %s',
    (field) => {
      expect(refusedField(() => normalizeAddressPatch({ [field]: null }))).toBe(field);
    },
  );

  it('validates the values it is given', () => {
    expect(refusedField(() => normalizeAddressPatch({ detail: ' ' }))).toBe('detail');
    expect(
      refusedField(() => normalizeAddressPatch({ location: { latitude: 0, longitude: 200 } })),
    ).toBe('location.longitude');
  });
});

describe('idempotency key and fingerprint', () => {
  it('accepts 1 to 128 characters as given', () => {
    expect(normalizeIdempotencyKey(undefined)).toBeNull();
    expect(normalizeIdempotencyKey(null)).toBeNull();
    expect(normalizeIdempotencyKey(' k ')).toBe(' k ');
    expect(refusedField(() => normalizeIdempotencyKey(''))).toBe('idempotencyKey');
    expect(refusedField(() => normalizeIdempotencyKey('k'.repeat(129)))).toBe('idempotencyKey');
  });

  it('is equal for inputs that normalize alike and differs otherwise', () => {
    const a = normalizeNewAddress(valid);
    const b = normalizeNewAddress({ ...valid, contactName: 'Alice Wang' });
    expect(addAddressFingerprint(a, false)).toBe(addAddressFingerprint(b, false));
    expect(addAddressFingerprint(a, false)).not.toBe(addAddressFingerprint(a, true));
    expect(addAddressFingerprint(a, false)).not.toBe(
      addAddressFingerprint({ ...a, latitude: a.latitude + 0.0001 }, false),
    );
  });
});
