import { createHash } from 'node:crypto';
import { badUserInput, optionalText, requiredText } from '@sky/errors';
import { PHONE_PATTERN } from './patterns.ts';

/** An address as stored: trimmed, validated, the label null when there is none. */
export interface AddressFields {
  contactName: string;
  phone: string;
  detail: string;
  label: string | null;
  latitude: number;
  longitude: number;
}

interface GeoPointInput {
  latitude: number;
  longitude: number;
}

export interface NewAddressInput {
  contactName: string;
  phone: string;
  detail: string;
  label?: string | null;
  location: GeoPointInput;
}

/** GraphQL gives `undefined` for an omitted field and `null` for an explicit null. */
export interface AddressPatchInput {
  contactName?: string | null;
  phone?: string | null;
  detail?: string | null;
  label?: string | null;
  location?: GeoPointInput | null;
}

export const IDEMPOTENCY_KEY_MAX_LENGTH = 128;

const text = (value: string, field: string, what: string, max: number): string =>
  requiredText(value, field, max, { message: `${what} needs 1 to ${max} characters.` });

function phone(value: string): string {
  const trimmed = value.trim();
  if (!PHONE_PATTERN.test(trimmed)) {
    throw badUserInput('Enter a phone number of 6 to 15 digits.', 'phone');
  }
  return trimmed;
}

const label = (value: string | null | undefined): string | null =>
  optionalText(value, 'label', 32, { message: 'The label needs at most 32 characters.' });

function location(value: GeoPointInput): Pick<AddressFields, 'latitude' | 'longitude'> {
  const { latitude, longitude } = value;
  if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
    throw badUserInput('The latitude must be between -90 and 90.', 'location.latitude');
  }
  if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
    throw badUserInput('The longitude must be between -180 and 180.', 'location.longitude');
  }
  return { latitude, longitude };
}

const contactName = (value: string) => text(value, 'contactName', 'The contact name', 64);
const detail = (value: string) => text(value, 'detail', 'The address', 512);

/** Validates a new address; refusals are `BAD_USER_INPUT` naming the field. */
export function normalizeNewAddress(input: NewAddressInput): AddressFields {
  return {
    contactName: contactName(input.contactName),
    phone: phone(input.phone),
    detail: detail(input.detail),
    label: label(input.label),
    ...location(input.location),
  };
}

function required<T>(value: T | null, field: string): T {
  if (value === null) {
    throw badUserInput(`${field} cannot be null; omit it to keep the current value.`, field);
  }
  return value;
}

/** Validates a change: omitted fields stay out of the result; only the label may be cleared. */
export function normalizeAddressPatch(input: AddressPatchInput): Partial<AddressFields> {
  const patch: Partial<AddressFields> = {};
  if (input.contactName !== undefined) {
    patch.contactName = contactName(required(input.contactName, 'contactName'));
  }
  if (input.phone !== undefined) patch.phone = phone(required(input.phone, 'phone'));
  if (input.detail !== undefined) patch.detail = detail(required(input.detail, 'detail'));
  if (input.label !== undefined) patch.label = label(input.label);
  if (input.location !== undefined) {
    Object.assign(patch, location(required(input.location, 'location')));
  }
  return patch;
}

/** A client's retry key for `addAddress`: taken as given (no trimming), 1 to 128 characters. */
export function normalizeIdempotencyKey(key: string | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  if (key.length < 1 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw badUserInput(
      `The idempotency key needs 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters.`,
      'idempotencyKey',
    );
  }
  return key;
}

/**
 * Fingerprint of an `addAddress` call, so a repeat with the same key can be told apart from a
 * different request reusing it. Taken over the normalized input: whitespace differences that
 * normalize away are the same request.
 */
export function addAddressFingerprint(fields: AddressFields, makeDefault: boolean): string {
  const canonical = JSON.stringify([
    fields.contactName,
    fields.phone,
    fields.detail,
    fields.label,
    fields.latitude,
    fields.longitude,
    makeDefault,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
