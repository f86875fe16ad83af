import {
  consumeOrRefuse,
  throttleKey,
  tooManyAttempts,
  type RateLimiterAbstract,
  type RateLimiterStore,
} from '@sky/server-kit';

export interface SignInThrottleSettings {
  /** Sign-in attempts (any outcome) per client address per minute: each costs an argon2 hash. */
  loginAttemptsPerAddressPerMinute: number;
  /** Registrations per client address per hour: each costs an argon2 hash and an account. */
  registrationsPerAddressPerHour: number;
  /** Consecutive failures for one account from one address before backoff starts. */
  maxFailures: number;
  /** How long failures are remembered. */
  failureWindowSeconds: number;
  /** The longest wait for one account from one address (the backoff doubles up to this). */
  backoffMaxSeconds: number;
  /** Failures for one account from all addresses before the account-wide backoff applies. */
  accountMaxFailures: number;
  /** The longest account-wide wait, kept short: it is the part a distributed attacker can cause. */
  accountBackoffMaxSeconds: number;
}

/** Wait after the `excess`-th failure beyond the free ones: 1 s, 2 s, 4 s, ... up to `max`. */
const backoffSeconds = (excess: number, max: number) =>
  Math.min(max, 2 ** Math.min(Math.max(excess, 0), 30));

/**
 * Sign-in and registration throttling (rate-limiter-flexible, see the server kit), built so an
 * attacker cannot lock the real owner out:
 *
 * - per client address: attempts per minute for sign-in and per hour for registration, whatever
 *   the outcome (each costs an argon2 hash, so this is what stops CPU and memory floods);
 * - per account *and* address: after `maxFailures` consecutive failures, an exponential backoff
 *   (1 s, 2 s, 4 s, ... at most `backoffMaxSeconds`), cleared by a success. Failures from the
 *   attacker's address never slow down the owner's;
 * - per account across addresses (guessing spread over many addresses): past
 *   `accountMaxFailures`, a short account-wide backoff, applied only to addresses that have
 *   themselves failed on this account. An owner signing in from an address without failures is
 *   never held back by it, and one who mistyped waits at most `accountBackoffMaxSeconds`.
 *
 * Every refusal is RATE_LIMITED with `retryAfterSeconds`. Keys are hashes: no email is stored.
 */
export class SignInThrottle {
  private readonly loginsByAddress: RateLimiterAbstract;
  private readonly registrationsByAddress: RateLimiterAbstract;
  private readonly failuresByPair: RateLimiterAbstract;
  private readonly backoffByPair: RateLimiterAbstract;
  private readonly failuresByAccount: RateLimiterAbstract;
  private readonly backoffByAccount: RateLimiterAbstract;

  constructor(
    store: RateLimiterStore,
    private readonly settings: SignInThrottleSettings,
  ) {
    this.loginsByAddress = store.limiter('login-address', {
      points: settings.loginAttemptsPerAddressPerMinute,
      durationSeconds: 60,
    });
    this.registrationsByAddress = store.limiter('register-address', {
      points: settings.registrationsPerAddressPerHour,
      durationSeconds: 3600,
    });
    // Counters only (never refused by themselves): the points are the failures so far.
    const counter = {
      points: Number.MAX_SAFE_INTEGER,
      durationSeconds: settings.failureWindowSeconds,
    };
    this.failuresByPair = store.limiter('login-failures-pair', counter);
    this.failuresByAccount = store.limiter('login-failures-account', counter);
    // Backoff windows: `block` holds a key for the wait; one point means "blocked".
    const window = { points: 1, durationSeconds: settings.failureWindowSeconds };
    this.backoffByPair = store.limiter('login-backoff-pair', window);
    this.backoffByAccount = store.limiter('login-backoff-account', window);
  }

  /** Before any password work: refuses with RATE_LIMITED when this attempt must wait. */
  async beforeLogin(email: string, address: string): Promise<void> {
    await consumeOrRefuse(
      this.loginsByAddress,
      throttleKey(address),
      'Too many sign-in attempts from this address. Try again later.',
    );
    const pair = throttleKey(email, address);
    await this.refuseWhileBlocked(this.backoffByPair, pair);
    const pairFailures = await this.failuresByPair.get(pair);
    if (pairFailures && pairFailures.consumedPoints > 0) {
      await this.refuseWhileBlocked(this.backoffByAccount, throttleKey(email));
    }
  }

  async loginFailed(email: string, address: string): Promise<void> {
    const pair = throttleKey(email, address);
    const account = throttleKey(email);
    const [pairFailures, accountFailures] = await Promise.all([
      this.failuresByPair.consume(pair),
      this.failuresByAccount.consume(account),
    ]);
    const pairExcess = pairFailures.consumedPoints - this.settings.maxFailures;
    if (pairExcess >= 0) {
      await this.backoffByPair.block(
        pair,
        backoffSeconds(pairExcess, this.settings.backoffMaxSeconds),
      );
    }
    const accountExcess = accountFailures.consumedPoints - this.settings.accountMaxFailures;
    if (accountExcess >= 0) {
      await this.backoffByAccount.block(
        account,
        backoffSeconds(accountExcess, this.settings.accountBackoffMaxSeconds),
      );
    }
  }

  /** A success from this address clears its failures (not the account-wide count). */
  async loginSucceeded(email: string, address: string): Promise<void> {
    const pair = throttleKey(email, address);
    await Promise.all([this.failuresByPair.delete(pair), this.backoffByPair.delete(pair)]);
  }

  async beforeRegister(address: string): Promise<void> {
    await consumeOrRefuse(
      this.registrationsByAddress,
      throttleKey(address),
      'Too many registrations from this address. Try again later.',
    );
  }

  private async refuseWhileBlocked(backoff: RateLimiterAbstract, key: string): Promise<void> {
    const state = await backoff.get(key);
    if (state && state.consumedPoints > 1 && state.msBeforeNext > 0) {
      throw tooManyAttempts('Too many failed sign-ins. Try again later.', state.msBeforeNext);
    }
  }
}
