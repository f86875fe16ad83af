import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Secrets by field name, wherever they sit in a log object (up to two levels deep). */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'webhookSecret',
  'privateKeyPem',
];

/**
 * What pino blanks out before a line is written: a log line must never carry a credential, even
 * when a future call logs a whole request, headers, variables or connection parameters.
 */
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => [
  field,
  `*.${field}`,
  `*.*.${field}`,
]);

/**
 * JSON logs, one line per event; `service` names the emitter, `requestId` is added per request.
 * `destination` defaults to stdout (tests pass a stream to read the lines back).
 */
export function createLogger(
  service: string,
  level: LevelWithSilent = 'info',
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level,
      base: { service },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
