import CircuitBreaker from 'opossum';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '@sky/logging';
import type { ResilienceSettings } from '@sky/config';

/** Metric names the alert rules rely on (the shared names list): do not rename. */
export const BREAKER_OPEN_METRIC = 'sky_circuit_breaker_open';
export const BREAKER_REJECTIONS_METRIC = 'sky_circuit_breaker_rejections_total';

/** A call refused without being tried because its target's breaker is open. */
export class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
  constructor(
    readonly target: string,
    /** When the breaker lets a trial call through again (at least 1 s). */
    readonly retryAfterSeconds: number,
  ) {
    super(`circuit breaker for ${target} is open`);
  }
}

type Call = () => Promise<unknown>;

/** Carries a failure through opossum without counting it against the target. */
class NotTheTargetsFault extends Error {
  constructor(readonly original: unknown) {
    super("not the target's fault");
  }
}

/**
 * One opossum breaker per target (a subgraph, another subgraph's internal API, the payment
 * provider), made on first use. A target whose calls fail past the threshold is not called for
 * `resetTimeoutMs`: callers fail fast instead of queueing behind a dead peer, and the peer gets
 * room to recover. Then one trial call decides whether it closes again. With a `registry` the
 * state and the rejections are exported as Prometheus metrics labelled by target.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, CircuitBreaker<[Call], unknown>>();
  private readonly openedAt = new Map<string, number>();
  private readonly openGauge?: Gauge<'target'>;
  private readonly rejections?: Counter<'target'>;
  private readonly logger?: Logger;

  constructor(
    private readonly settings: ResilienceSettings['breaker'],
    options: { registry?: Registry; logger?: Logger } = {},
  ) {
    this.logger = options.logger;
    if (options.registry) {
      // Several breaker sets may share one service's registry (internal calls and a provider).
      this.openGauge = metricOn(options.registry, BREAKER_OPEN_METRIC, (registers) => {
        return new Gauge({
          name: BREAKER_OPEN_METRIC,
          help: 'Whether the circuit breaker of a call target is open (1) or not (0).',
          labelNames: ['target'],
          registers,
        });
      });
      this.rejections = metricOn(options.registry, BREAKER_REJECTIONS_METRIC, (registers) => {
        return new Counter({
          name: BREAKER_REJECTIONS_METRIC,
          help: 'Calls refused without being tried because the target circuit breaker was open.',
          labelNames: ['target'],
          registers,
        });
      });
    }
  }

  /**
   * Runs `call` through `target`'s breaker. A failure counts against the target unless
   * `isTargetFailure` says it is not the target's fault (a refusal with a code, a caller's own
   * spent deadline). An open breaker throws CircuitOpenError without calling.
   */
  async run<T>(
    target: string,
    call: () => Promise<T>,
    isTargetFailure: (error: unknown) => boolean = () => true,
  ): Promise<T> {
    const breaker = this.breakerFor(target);
    try {
      return (await breaker.fire(async () => {
        try {
          return await call();
        } catch (error) {
          throw isTargetFailure(error) ? error : new NotTheTargetsFault(error);
        }
      })) as T;
    } catch (error) {
      if (error instanceof NotTheTargetsFault) throw error.original;
      if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
        this.rejections?.inc({ target });
        throw new CircuitOpenError(target, this.retryAfterSeconds(target));
      }
      throw error;
    }
  }

  /** `closed`, `open` or `halfOpen` (the trial call), for tests and readiness pages. */
  state(target: string): 'closed' | 'open' | 'halfOpen' {
    const breaker = this.breakers.get(target);
    if (!breaker || breaker.closed) return 'closed';
    return breaker.halfOpen ? 'halfOpen' : 'open';
  }

  /** Stops the breakers' timers (at shutdown). */
  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }

  private retryAfterSeconds(target: string): number {
    const openedAt = this.openedAt.get(target) ?? Date.now();
    const leftMs = openedAt + this.settings.resetTimeoutMs - Date.now();
    return Math.max(1, Math.ceil(leftMs / 1000));
  }

  private breakerFor(target: string): CircuitBreaker<[Call], unknown> {
    const existing = this.breakers.get(target);
    if (existing) return existing;
    const breaker = new CircuitBreaker<[Call], unknown>((call: Call) => call(), {
      // Deadlines are the callers' business (each call has its own budget); no second timer.
      timeout: false,
      resetTimeout: this.settings.resetTimeoutMs,
      errorThresholdPercentage: this.settings.errorThresholdPercentage,
      volumeThreshold: this.settings.volumeThreshold,
      rollingCountTimeout: 10_000,
      rollingCountBuckets: 10,
      errorFilter: (error: unknown) => error instanceof NotTheTargetsFault,
      name: target,
    });
    breaker.on('open', () => {
      this.openedAt.set(target, Date.now());
      this.openGauge?.set({ target }, 1);
      this.logger?.warn({ target }, 'circuit breaker opened: failing fast');
    });
    breaker.on('halfOpen', () => {
      this.openGauge?.set({ target }, 0);
      this.logger?.info({ target }, 'circuit breaker half-open: one trial call');
    });
    breaker.on('close', () => {
      this.openGauge?.set({ target }, 0);
      this.logger?.info({ target }, 'circuit breaker closed');
    });
    this.openGauge?.set({ target }, 0);
    this.breakers.set(target, breaker);
    return breaker;
  }
}

/** The metric `name` already on `registry`, or a new one made there by `create`. */
function metricOn<M>(registry: Registry, name: string, create: (registers: Registry[]) => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create([registry]);
}
