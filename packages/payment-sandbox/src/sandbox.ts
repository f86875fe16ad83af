import type { ProviderCallback } from '@sky/contracts';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { z } from '@sky/config';
import { createLogger, type Logger } from '@sky/logging';
import { SANDBOX_OUTCOMES, type PaymentSandboxConfig, type SandboxOutcome } from './config.ts';
import { SIGNATURE_HEADER, signCallback, TIMESTAMP_HEADER } from './signature.ts';

/**
 * A fake external payment provider that behaves like a real one: it answers a payment request at
 * once with a pending payment, confirms or declines it later through a signed callback to the
 * merchant's webhook (retried with backoff until the merchant answers 2xx), refunds, and answers
 * status queries for reconciliation. Everything lives in memory: it is a sandbox.
 *
 * Test controls (never part of a real provider): the `outcome` of a payment request,
 * `POST /v1/test/payments/:id/complete` (send the callback now), `.../redeliver` (send the last
 * callback again, as a provider's "resend" button does), `GET .../callbacks` (what was sent) and
 * `POST /v1/test/faults` (make the next calls fail with 503).
 */

export type SandboxPaymentStatus = 'PENDING' | 'SUCCEEDED' | 'DECLINED';

/**
 * The JSON body of a callback (its contract: @sky/contracts); the signature covers it byte for
 * byte.
 */
export type SandboxCallbackBody = ProviderCallback;

export interface CallbackDelivery {
  eventId: string;
  /** The body exactly as sent. */
  body: string;
  state: 'DELIVERING' | 'DELIVERED' | 'GAVE_UP';
  attempts: number;
  /** HTTP status of the last attempt, or null when it got no answer. */
  lastResponseStatus: number | null;
  deliveredAt: string | null;
}

interface SandboxPayment {
  providerPaymentId: string;
  merchantReference: string;
  amount: number;
  currency: string;
  callbackUrl: string;
  outcome: SandboxOutcome;
  status: SandboxPaymentStatus;
  createdAt: Date;
  completedAt: Date | null;
  refundedAmount: number;
  callbacks: CallbackDelivery[];
}

interface SandboxRefund {
  providerRefundId: string;
  merchantReference: string;
  providerPaymentId: string;
  amount: number;
  currency: string;
  status: 'SUCCEEDED';
  createdAt: Date;
}

export interface PaymentSandbox {
  app: express.Express;
  /** Listens; the URL is the API's base (`http://host:port`, no path). */
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops listening and cancels every pending callback and retry. */
  stop(): Promise<void>;
}

const createPaymentBody = z.object({
  merchantReference: z.string().min(1).max(200),
  amount: z.number().int().positive(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  callbackUrl: z.string().url(),
  outcome: z.enum(SANDBOX_OUTCOMES).optional(),
});

const createRefundBody = z.object({
  providerPaymentId: z.string().min(1),
  amount: z.number().int().positive(),
  merchantReference: z.string().min(1).max(200),
});

const completeBody = z
  .object({ outcome: z.enum(['success', 'decline']).optional() })
  .optional()
  .default({});

const faultsBody = z.object({
  failNextPayments: z.number().int().min(0).optional(),
  failNextRefunds: z.number().int().min(0).optional(),
});

/** A provider-style error body: `{ error: { code, message } }`. */
function sendError(res: Response, status: number, code: string, message: string, extra = {}) {
  res.status(status).json({ error: { code, message, ...extra } });
}

function parseBody<T>(schema: z.ZodType<T>, req: Request, res: Response): T | null {
  const result = schema.safeParse(req.body);
  if (result.success) return result.data;
  sendError(res, 400, 'invalid_request', 'The request body is invalid.', {
    issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
  return null;
}

const paymentView = (p: SandboxPayment) => ({
  providerPaymentId: p.providerPaymentId,
  merchantReference: p.merchantReference,
  amount: p.amount,
  currency: p.currency,
  status: p.status,
  refundedAmount: p.refundedAmount,
  createdAt: p.createdAt.toISOString(),
  completedAt: p.completedAt?.toISOString() ?? null,
});

const refundView = (r: SandboxRefund) => ({
  providerRefundId: r.providerRefundId,
  merchantReference: r.merchantReference,
  providerPaymentId: r.providerPaymentId,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  createdAt: r.createdAt.toISOString(),
});

const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '')}`;

export function createPaymentSandbox(
  config: PaymentSandboxConfig,
  logger: Logger = createLogger('payment-sandbox', config.logLevel),
): PaymentSandbox {
  // State keyed by the merchant's reference (idempotency), with an index by provider id.
  const paymentsByReference = new Map<string, SandboxPayment>();
  const paymentsById = new Map<string, SandboxPayment>();
  const refundsByReference = new Map<string, SandboxRefund>();
  const timers = new Set<NodeJS.Timeout>();
  const shutdown = new AbortController();
  const faults = { failNextPayments: 0, failNextRefunds: 0 };

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  /** One delivery attempt; true when the merchant answered 2xx. */
  async function attemptDelivery(payment: SandboxPayment, delivery: CallbackDelivery) {
    const timestamp = Math.floor(Date.now() / 1000);
    delivery.attempts++;
    try {
      const response = await fetch(payment.callbackUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signCallback(config.webhookSecret, timestamp, delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.any([shutdown.signal, AbortSignal.timeout(config.callbackTimeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      delivery.lastResponseStatus = response.status;
      if (response.ok) {
        delivery.state = 'DELIVERED';
        delivery.deliveredAt ??= new Date().toISOString();
        return true;
      }
    } catch (error) {
      delivery.lastResponseStatus = null;
      if (shutdown.signal.aborted) return false;
      logger.debug({ err: error, eventId: delivery.eventId }, 'callback delivery failed');
    }
    logger.info(
      {
        eventId: delivery.eventId,
        attempt: delivery.attempts,
        responseStatus: delivery.lastResponseStatus,
      },
      'callback not acknowledged',
    );
    return false;
  }

  /** Delivers until a 2xx answer or `callbackMaxAttempts`, backing off exponentially. */
  function deliverWithRetries(
    payment: SandboxPayment,
    delivery: CallbackDelivery,
  ): Promise<boolean> {
    return attemptDelivery(payment, delivery).then((delivered) => {
      if (delivered || shutdown.signal.aborted) return delivered;
      if (delivery.attempts >= config.callbackMaxAttempts) {
        delivery.state = 'GAVE_UP';
        logger.warn({ eventId: delivery.eventId }, 'callback given up after the last attempt');
        return false;
      }
      const delay = Math.min(60_000, config.callbackRetryBaseMs * 2 ** (delivery.attempts - 1));
      later(delay, () => {
        if (delivery.state === 'DELIVERING') void deliverWithRetries(payment, delivery);
      });
      return false;
    });
  }

  /**
   * Settles a pending payment and sends its callback. Answers whether the first delivery attempt
   * was acknowledged (the test trigger reports it; retries go on in the background).
   */
  function complete(payment: SandboxPayment, outcome: 'success' | 'decline'): Promise<boolean> {
    payment.status = outcome === 'success' ? 'SUCCEEDED' : 'DECLINED';
    payment.completedAt = new Date();
    const body: SandboxCallbackBody = {
      eventId: newId('evt'),
      providerPaymentId: payment.providerPaymentId,
      merchantReference: payment.merchantReference,
      status: payment.status,
      amount: payment.amount,
      currency: payment.currency,
      occurredAt: payment.completedAt.toISOString(),
    };
    const delivery: CallbackDelivery = {
      eventId: body.eventId,
      body: JSON.stringify(body),
      state: 'DELIVERING',
      attempts: 0,
      lastResponseStatus: null,
      deliveredAt: null,
    };
    payment.callbacks.push(delivery);
    logger.info(
      { providerPaymentId: payment.providerPaymentId, status: payment.status },
      'payment settled',
    );
    return deliverWithRetries(payment, delivery);
  }

  /**
   * A payment made before the sandbox last started (it keeps nothing), taken as succeeded for
   * the refunded amount when `refundForgottenPayments` is on; null otherwise.
   */
  function forgotten(input: { providerPaymentId: string; amount: number }): SandboxPayment | null {
    if (!config.refundForgottenPayments) return null;
    logger.info({ providerPaymentId: input.providerPaymentId }, 'refunding a forgotten payment');
    const payment: SandboxPayment = {
      providerPaymentId: input.providerPaymentId,
      merchantReference: `forgotten:${input.providerPaymentId}`,
      amount: input.amount,
      currency: 'CNY',
      callbackUrl: '',
      outcome: 'success',
      status: 'SUCCEEDED',
      createdAt: new Date(),
      completedAt: new Date(),
      refundedAmount: 0,
      callbacks: [],
    };
    // Remembered from now on (by provider id only), so it is not refunded twice.
    paymentsById.set(payment.providerPaymentId, payment);
    return payment;
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: 100_000 }));

  // For the image's HEALTHCHECK and Kubernetes probes: the process serves HTTP.
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', service: 'payment-sandbox' });
  });

  app.post('/v1/payments', (req, res) => {
    const input = parseBody(createPaymentBody, req, res);
    if (!input) return;
    const existing = paymentsByReference.get(input.merchantReference);
    if (existing) {
      // Idempotent on the merchant's reference: the same request gets the same payment, so a
      // retried request never charges twice; a different amount under one reference is a bug.
      if (existing.amount !== input.amount || existing.currency !== input.currency) {
        sendError(
          res,
          409,
          'idempotency_conflict',
          'This merchantReference was used with another amount or currency.',
        );
        return;
      }
      res
        .status(200)
        .json({ providerPaymentId: existing.providerPaymentId, status: existing.status });
      return;
    }
    if (faults.failNextPayments > 0) {
      faults.failNextPayments--;
      sendError(res, 503, 'unavailable', 'The sandbox is failing on purpose (test fault).');
      return;
    }
    const payment: SandboxPayment = {
      providerPaymentId: newId('pay'),
      merchantReference: input.merchantReference,
      amount: input.amount,
      currency: input.currency,
      callbackUrl: input.callbackUrl,
      outcome: input.outcome ?? config.defaultOutcome,
      status: 'PENDING',
      createdAt: new Date(),
      completedAt: null,
      refundedAmount: 0,
      callbacks: [],
    };
    paymentsByReference.set(payment.merchantReference, payment);
    paymentsById.set(payment.providerPaymentId, payment);
    logger.info(
      { providerPaymentId: payment.providerPaymentId, outcome: payment.outcome },
      'payment created',
    );
    const { outcome } = payment;
    if (outcome !== 'timeout') {
      later(config.callbackDelayMs, () => {
        if (payment.status === 'PENDING') void complete(payment, outcome);
      });
    }
    res.status(201).json({ providerPaymentId: payment.providerPaymentId, status: payment.status });
  });

  app.get('/v1/payments/:providerPaymentId', (req, res) => {
    const payment = paymentsById.get(req.params.providerPaymentId);
    if (!payment) return sendError(res, 404, 'not_found', 'No such payment.');
    res.json(paymentView(payment));
  });

  // Reconciliation when the merchant never learnt the provider's id (its request timed out).
  app.get('/v1/payments', (req, res) => {
    const reference =
      typeof req.query.merchantReference === 'string' ? req.query.merchantReference : '';
    const payment = paymentsByReference.get(reference);
    if (!payment) return sendError(res, 404, 'not_found', 'No such payment.');
    res.json(paymentView(payment));
  });

  app.post('/v1/refunds', (req, res) => {
    const input = parseBody(createRefundBody, req, res);
    if (!input) return;
    const existing = refundsByReference.get(input.merchantReference);
    if (existing) {
      if (
        existing.providerPaymentId !== input.providerPaymentId ||
        existing.amount !== input.amount
      ) {
        sendError(
          res,
          409,
          'idempotency_conflict',
          'This merchantReference was used for another refund.',
        );
        return;
      }
      res.status(200).json(refundView(existing));
      return;
    }
    if (faults.failNextRefunds > 0) {
      faults.failNextRefunds--;
      sendError(res, 503, 'unavailable', 'The sandbox is failing on purpose (test fault).');
      return;
    }
    const payment = paymentsById.get(input.providerPaymentId) ?? forgotten(input);
    if (!payment) return sendError(res, 404, 'not_found', 'No such payment.');
    if (payment.status !== 'SUCCEEDED') {
      return sendError(res, 409, 'payment_not_succeeded', 'Only a succeeded payment is refunded.');
    }
    if (input.amount > payment.amount - payment.refundedAmount) {
      return sendError(
        res,
        422,
        'amount_exceeds_refundable',
        'The refund is larger than what is left of the payment.',
      );
    }
    payment.refundedAmount += input.amount;
    const refund: SandboxRefund = {
      providerRefundId: newId('re'),
      merchantReference: input.merchantReference,
      providerPaymentId: payment.providerPaymentId,
      amount: input.amount,
      currency: payment.currency,
      status: 'SUCCEEDED',
      createdAt: new Date(),
    };
    refundsByReference.set(refund.merchantReference, refund);
    logger.info({ providerRefundId: refund.providerRefundId, amount: refund.amount }, 'refunded');
    res.status(201).json(refundView(refund));
  });

  // ----- Test controls -------------------------------------------------------------------------

  app.post('/v1/test/payments/:providerPaymentId/complete', async (req, res) => {
    const payment = paymentsById.get(req.params.providerPaymentId);
    if (!payment) return sendError(res, 404, 'not_found', 'No such payment.');
    const input = parseBody(completeBody, req, res);
    if (!input) return;
    if (payment.status !== 'PENDING') {
      return sendError(res, 409, 'already_completed', 'The payment is already settled.');
    }
    const outcome = input.outcome ?? payment.outcome;
    if (outcome === 'timeout') {
      return sendError(
        res,
        409,
        'no_callback',
        'This payment times out: it never calls back (pass an outcome to override).',
      );
    }
    const delivered = await complete(payment, outcome);
    const delivery = payment.callbacks.at(-1)!;
    res.json({ ...paymentView(payment), delivered, responseStatus: delivery.lastResponseStatus });
  });

  app.post('/v1/test/payments/:providerPaymentId/redeliver', async (req, res) => {
    const payment = paymentsById.get(req.params.providerPaymentId);
    const delivery = payment?.callbacks.at(-1);
    if (!payment || !delivery) return sendError(res, 404, 'not_found', 'No callback to resend.');
    // The same event (same id and body) signed afresh, as a provider's "resend" does.
    const delivered = await attemptDelivery(payment, delivery);
    res.json({ eventId: delivery.eventId, delivered, responseStatus: delivery.lastResponseStatus });
  });

  app.get('/v1/test/payments/:providerPaymentId/callbacks', (req, res) => {
    const payment = paymentsById.get(req.params.providerPaymentId);
    if (!payment) return sendError(res, 404, 'not_found', 'No such payment.');
    res.json({ callbacks: payment.callbacks });
  });

  app.post('/v1/test/faults', (req, res) => {
    const input = parseBody(faultsBody, req, res);
    if (!input) return;
    faults.failNextPayments = input.failNextPayments ?? faults.failNextPayments;
    faults.failNextRefunds = input.failNextRefunds ?? faults.failNextRefunds;
    res.json(faults);
  });

  app.use((_req: Request, res: Response) => sendError(res, 404, 'not_found', 'No such endpoint.'));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status;
    if (status && status >= 400 && status < 500) {
      return sendError(res, status, 'invalid_request', 'The request could not be read.');
    }
    logger.error({ err: error }, 'sandbox request failed');
    if (!res.headersSent) sendError(res, 500, 'internal_error', 'Internal error.');
  });

  const httpServer = createServer(app);
  let stopped = false;

  return {
    app,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          const url = `http://${host}:${address.port}`;
          logger.info({ url }, 'payment sandbox listening');
          resolve({ url, port: address.port });
        });
      }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      shutdown.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (httpServer.listening) {
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      }
    },
  };
}
