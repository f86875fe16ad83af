/** Input patterns shared by registration and the address book. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** 6 to 15 digits, optionally with a leading + (E.164 length). */
export const PHONE_PATTERN = /^\+?[0-9]{6,15}$/;
