/**
 * Input patterns shared by registration and the address book. Each runs in linear time: no two
 * quantified parts of a pattern can match the same characters, so a hostile input cannot make
 * the engine backtrack (the old email pattern took seconds on 40 kB of dots).
 */

/** The longest address SMTP allows (RFC 5321). */
export const EMAIL_MAX_LENGTH = 254;
/** local@label(.label)+: labels hold no dots, so the pattern cannot split a label two ways. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
/** 6 to 15 digits, optionally with a leading + (E.164 length). */
export const PHONE_PATTERN = /^\+?[0-9]{6,15}$/;

/** The length first: nothing longer than an email can be is ever given to the pattern. */
export const isValidEmail = (email: string): boolean =>
  email.length <= EMAIL_MAX_LENGTH && EMAIL_PATTERN.test(email);
