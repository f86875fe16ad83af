import { CircuitOpenError, type CircuitBreakers } from '@sky/server-kit';
import type { PaymentProviderSettings } from '../config.ts';

/** The breaker (and metrics label) of the provider's API. */
export const PROVIDER_TARGET = 'payment-provider';

/**
 * The payment provider's HTTP API as the payment subgraph uses it (the sandbox provider's
 * `/v1/...` endpoints). Every call has a deadline. Both writes are idempotent on our
 * `merchantReference` (the payment's or refund's id), so a call whose answer was lost can be
 * repeated safely.
 */

export type ProviderOutcome = 'success' | 'decline' | 'timeout';

export interface ProviderPayment {
  providerPaymentId: string;
  merchantReference: string;
  amount: number;
  currency: string;
  status: 'PENDING' | 'SUCCEEDED' | 'DECLINED';
}

/** The provider could not be reached or failed (network, deadline, 5xx): try again later. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
}

/** The provider refused the request (4xx): repeating it will not help. */
export class ProviderRefusedError extends Error {
  override name = 'ProviderRefusedError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class PaymentProviderClient {
  /**
   * `breakers` (optional for tests) stop calling a provider that keeps failing: calls fail fast
   * as ProviderUnavailableError, which every caller already treats as "try again later".
   */
  constructor(
    private readonly settings: Pick<PaymentProviderSettings, 'url' | 'timeoutMs'>,
    private readonly breakers?: CircuitBreakers,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    if (!this.breakers) return this.send<T>(method, path, body);
    try {
      return await this.breakers.run(
        PROVIDER_TARGET,
        () => this.send<T>(method, path, body),
        // A refusal is the provider working as meant.
        (error) => !(error instanceof ProviderRefusedError),
      );
    } catch (error) {
      if (error instanceof CircuitOpenError) {
        throw new ProviderUnavailableError(`payment provider ${method} ${path}: ${error.message}`);
      }
      throw error;
    }
  }

  private async send<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.settings.url + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      throw new ProviderUnavailableError(
        `payment provider ${method} ${path} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const payload = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string };
    };
    if (response.ok) return payload as T;
    if (response.status >= 400 && response.status < 500) {
      throw new ProviderRefusedError(
        response.status,
        payload.error?.code ?? 'unknown',
        `payment provider refused ${method} ${path}: HTTP ${response.status} ${payload.error?.code ?? ''}`,
      );
    }
    throw new ProviderUnavailableError(
      `payment provider ${method} ${path} answered HTTP ${response.status}`,
    );
  }

  createPayment(request: {
    merchantReference: string;
    amount: number;
    currency: string;
    callbackUrl: string;
    outcome?: ProviderOutcome;
  }): Promise<{ providerPaymentId: string; status: string }> {
    return this.call('POST', '/v1/payments', request);
  }

  refund(request: {
    providerPaymentId: string;
    amount: number;
    merchantReference: string;
  }): Promise<{ providerRefundId: string; status: string }> {
    return this.call('POST', '/v1/refunds', request);
  }

  /** The provider's view of one of our payments, or null when it never received it. */
  async findPayment(merchantReference: string): Promise<ProviderPayment | null> {
    try {
      return await this.call<ProviderPayment>(
        'GET',
        `/v1/payments?merchantReference=${encodeURIComponent(merchantReference)}`,
      );
    } catch (error) {
      if (error instanceof ProviderRefusedError && error.status === 404) return null;
      throw error;
    }
  }
}
