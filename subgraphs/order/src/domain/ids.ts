import { randomBytes, randomInt } from 'node:crypto';

/**
 * A version-7 UUID (RFC 9562): 48 bits of Unix milliseconds, then random bits. The ids Prisma
 * generates for orders are v7 too; an order id made before the order row exists (stock is reserved
 * under it first) keeps the same time order in the primary-key index.
 */
export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The platform's calendar day (orders are numbered by the day in China, where it operates). */
const ORDER_NUMBER_TIME_ZONE = 'Asia/Shanghai';

/**
 * A human-readable order number: `SKY` + the day (yyyyMMdd, Asia/Shanghai) + 10 random digits,
 * e.g. `SKY202611250123456789`. Random rather than sequential so it reveals no order volume; the
 * unique index catches the (1 in 10^10 per day and pair) collision and placement retries.
 */
export function newOrderNumber(now = new Date()): string {
  const day = new Intl.DateTimeFormat('en-CA', {
    timeZone: ORDER_NUMBER_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(now)
    .replaceAll('-', '');
  const digits = Array.from({ length: 10 }, () => randomInt(10)).join('');
  return `SKY${day}${digits}`;
}
