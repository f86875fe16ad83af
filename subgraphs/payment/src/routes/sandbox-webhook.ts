import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { providerCallback } from '@sky/contracts';
import { ErrorCode } from '@sky/errors';
import type { CallbackPayload } from '../stores/index.ts';
import { handleProviderCallback } from '../services/callbacks.ts';
import type { PaymentDeps } from '../services/deps.ts';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyCallbackSignature,
} from '../domain/callback-signature.ts';

export const WEBHOOK_PATH = '/webhooks/sandbox';

const BODY_LIMIT_BYTES = 64 * 1024;
const LOGGED_RAW_CHARS = 10_000;

/** The body as JSON for the audit row; unparseable bytes are kept (truncated) as text. */
function auditPayload(raw: Buffer): CallbackPayload {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object') return parsed as CallbackPayload;
  } catch {
    // Not JSON: fall through.
  }
  return { raw: raw.toString('utf8').slice(0, LOGGED_RAW_CHARS) };
}

function refuse(res: Response, status: number, code: string, message: string) {
  res.status(status).json({ error: { code, message } });
}

/**
 * Reads the raw body with the size limit. An oversized body is answered 413, which a provider
 * takes as final: a 500 would make it retry the same oversized body again and again.
 */
function rawBody(limitBytes: number) {
  const read = express.raw({ type: () => true, limit: limitBytes });
  return (req: Request, res: Response, next: NextFunction) =>
    read(req, res, (error?: unknown) => {
      if (!error) return next();
      if ((error as { type?: string }).type === 'entity.too.large') {
        req.sky.logger.warn({ limitBytes }, 'refused an oversized provider callback');
        return refuse(
          res,
          413,
          ErrorCode.PAYLOAD_TOO_LARGE,
          `A callback body is at most ${limitBytes} bytes.`,
        );
      }
      next(error);
    });
}

/**
 * `POST /webhooks/sandbox`: the provider's callbacks. The HMAC is checked over the raw bytes
 * (the route reads the body itself, before any JSON parsing), with the timestamp's age; every
 * signed callback, refused or not, is recorded in provider_callbacks (unsigned and forged ones
 * are only logged). Answers: 200 applied or already handled (replay), 401 INVALID_SIGNATURE
 * (forged, tampered, stale), 400 signed but not a callback, 404 unknown payment, 413 over 64 KiB,
 * 503 no provider configured. Anything but 2xx makes the provider retry, which is what a
 * transient failure here needs (and why a body that can never fit answers 413, not 500).
 */
export function mountSandboxWebhook(
  app: Express,
  deps: PaymentDeps,
  settings: { webhookSecret: string | null; toleranceSeconds: number },
): void {
  app.post(WEBHOOK_PATH, rawBody(BODY_LIMIT_BYTES), async (req: Request, res: Response) => {
    const log = req.sky.logger;
    if (!settings.webhookSecret) {
      return refuse(res, 503, ErrorCode.SERVICE_UNAVAILABLE, 'No payment provider is configured.');
    }
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const payload = auditPayload(raw);
    const verdict = verifyCallbackSignature({
      secret: settings.webhookSecret,
      timestampHeader: req.header(TIMESTAMP_HEADER),
      signatureHeader: req.header(SIGNATURE_HEADER),
      rawBody: raw,
      nowSeconds: Math.floor(Date.now() / 1000),
      toleranceSeconds: settings.toleranceSeconds,
    });
    if (!verdict.valid) {
      const expired = verdict.reason === 'EXPIRED';
      log.warn({ reason: verdict.reason }, 'refused a provider callback: bad signature');
      // Only the provider's own (signed, if stale) callbacks are kept: anyone can post unsigned
      // bodies, and storing those would let them fill the database.
      if (expired) {
        await deps.ledger.recordCallback({
          providerEventId: null,
          paymentId: null,
          signatureValid: true,
          payload,
          outcome: 'EXPIRED_TIMESTAMP',
        });
      }
      return refuse(
        res,
        401,
        ErrorCode.INVALID_SIGNATURE,
        expired ? 'The callback signature has expired.' : 'The callback signature is invalid.',
      );
    }
    const parsed = providerCallback.safeParse('raw' in (payload as object) ? null : payload);
    if (!parsed.success) {
      log.warn('refused a signed provider callback that is not a callback');
      await deps.ledger.recordCallback({
        providerEventId: null,
        paymentId: null,
        signatureValid: true,
        payload,
        outcome: 'MALFORMED',
      });
      return refuse(res, 400, ErrorCode.BAD_REQUEST, 'The callback body is not understood.');
    }
    const answer = await handleProviderCallback({ ...deps, logger: log }, parsed.data, payload);
    log.info(
      { eventId: parsed.data.eventId, outcome: answer.outcome },
      'provider callback handled',
    );
    if (answer.httpStatus === 404) {
      return refuse(res, 404, ErrorCode.NOT_FOUND, 'No such payment.');
    }
    res.status(answer.httpStatus).json({ received: true, outcome: answer.outcome });
  });
  // A failure here reaches the service's last-resort handler (mounted after every route): the
  // same JSON answer without internals, 500, so the provider retries.
}
