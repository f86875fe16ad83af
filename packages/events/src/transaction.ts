import type { Logger } from '@sky/logging';
import { Outbox } from './outbox.ts';
import type { SqlClient } from './sql.ts';

/** Work that must wait until the transaction it was registered in has committed. */
export type AfterCommit = () => void | Promise<void>;

/**
 * What work inside one transaction gets: the transaction client, the transaction's outbox
 * (events and timers commit with the change) and `afterCommit`, for what others may only see
 * once the change is visible (a live message: a subscriber that re-reads on it must find it).
 */
export interface TransactionScope<Tx> {
  tx: Tx;
  outbox: Outbox;
  afterCommit(callback: AfterCommit): void;
}

export interface TransactionOptions {
  /** How long the transaction may run (default 10 s). */
  timeoutMs?: number;
  /** How long to wait for a connection (default 10 s). */
  maxWaitMs?: number;
}

/** Runs `work` in one database transaction and, once it committed, what it registered for then. */
export type RunInTransaction<Tx> = <T>(
  work: (scope: TransactionScope<Tx>) => Promise<T>,
  options?: TransactionOptions,
) => Promise<T>;

/** The interactive-transaction method of a generated PrismaClient (or of a test double). */
export interface TransactionalClient<Tx> {
  $transaction<R>(
    work: (tx: Tx) => Promise<R>,
    options?: { timeout?: number; maxWait?: number },
  ): Promise<R>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The one transaction helper of a subgraph: after a commit that wrote an event the outbox relay
 * is kicked (it publishes at once instead of at its next poll), then the after-commit callbacks
 * run in the order they were registered. A failing callback is logged, never thrown: the change
 * is committed and must not be reported as failed.
 */
export function transactionRunner<Tx extends SqlClient>(
  client: TransactionalClient<Tx>,
  hooks: { kickRelay: () => void; logger: Logger },
): RunInTransaction<Tx> {
  return async (work, options = {}) => {
    let outbox: Outbox | null = null;
    let callbacks: AfterCommit[] = [];
    const result = await client.$transaction(
      (tx) => {
        outbox = new Outbox(tx);
        callbacks = [];
        return work({ tx, outbox, afterCommit: (callback) => callbacks.push(callback) });
      },
      {
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxWait: options.maxWaitMs ?? DEFAULT_TIMEOUT_MS,
      },
    );
    if ((outbox as Outbox | null)?.wroteEvents) hooks.kickRelay();
    for (const callback of callbacks) {
      try {
        await callback();
      } catch (error) {
        hooks.logger.warn({ err: error }, 'after-commit callback failed');
      }
    }
    return result;
  };
}
