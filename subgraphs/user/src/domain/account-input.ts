import { badUserInput, requiredText } from '@sky/errors';
import { isValidEmail, PHONE_PATTERN } from './patterns.ts';

/** What a new account of any kind (customer, staff, rider) is made of, before hashing. */
export interface NewAccountFields {
  email: string;
  name: string;
  phone: string | null;
}

/** The password rule of every account: 8 to 256 characters (argon2 is fed at most 256). */
export function checkPassword(password: string, field = 'password'): string {
  if (password.length < 8 || password.length > 256) {
    throw badUserInput('The password needs 8 to 256 characters.', field);
  }
  return password;
}

/**
 * The checks `register`, `createStaffAccount` and `createRiderAccount` share (BAD_USER_INPUT with
 * the field): all cheap, so they run before the expensive password hash.
 */
export function newAccountFields(input: {
  email: string;
  password: string;
  name: string;
  phone?: string | null;
}): NewAccountFields {
  const email = input.email.trim().toLowerCase();
  if (!isValidEmail(email)) {
    throw badUserInput('Enter a valid email address.', 'email');
  }
  checkPassword(input.password);
  const name = requiredText(input.name, 'name', 64, {
    message: 'The name needs 1 to 64 characters.',
  });
  if (input.phone && !PHONE_PATTERN.test(input.phone)) {
    throw badUserInput('Enter a phone number of 6 to 15 digits.', 'phone');
  }
  return { email, name, phone: input.phone || null };
}
