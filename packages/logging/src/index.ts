import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** JSON logs, one line per event; `service` names the emitter, `requestId` is added per request. */
export function createLogger(service: string, level: LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
