import { rememberCause } from '@sky/telemetry';
import { liveMessageCause } from './live-pubsub.ts';

/**
 * The event stream of one entity followed live: first its current state, then the state again
 * after every message on its live channel, never a version not newer than the last one sent
 * (live messages are best effort and may repeat, arrive late or out of order; the database is
 * the truth). It ends after a final state, or with a refusal when the subscriber may no longer
 * see the entity.
 *
 * An explicit iterator rather than an async generator: a generator suspended in `await` cannot be
 * stopped from outside until its next message arrives, whereas `return()` here ends the live
 * subscription at once (the pending read of the channel resolves as done).
 */
export function versionedStream<Row extends { version: number }, Payload>(options: {
  /** The entity's live channel; each message announces a version. */
  source: AsyncIterator<{ version: number }>;
  /** The channel's first `next()`, when the caller already started listening. */
  pending?: Promise<IteratorResult<{ version: number }>>;
  /** The state read after listening started; without it the stream listens, then reads. */
  first?: Row;
  /** Reads the entity as it is now, after the message announcing `announcedVersion` arrived. */
  read: (announcedVersion: number) => Promise<Row | null>;
  /** After this state nothing the subscriber follows changes any more. */
  isFinal: (row: Row) => boolean;
  toPayload: (row: Row) => Payload;
  /** A payload refusing this state (access lost): it is sent, then the stream ends. */
  refusal?: (row: Row) => Payload | null;
}): AsyncIterableIterator<Payload> {
  type Result = IteratorResult<Payload>;
  const DONE: Result = { done: true, value: undefined };
  const { source, read } = options;
  let pending = options.pending ?? null;
  let first: Row | null = options.first ?? null;
  let started = first !== null;
  let finished = false;
  let lastVersion = 0;
  let lastWasFinal = false;

  const finish = async (): Promise<Result> => {
    if (!finished) {
      finished = true;
      await source.return?.();
    }
    return DONE;
  };

  const emit = (row: Row): Result => {
    lastVersion = row.version;
    lastWasFinal = options.isFinal(row);
    return { done: false, value: options.toPayload(row) };
  };

  const next = async (): Promise<Result> => {
    if (finished) return DONE;
    if (first) {
      const row = first;
      first = null;
      return emit(row);
    }
    if (!started) {
      started = true;
      // Listen before reading, so a change committed while the first state is read still
      // arrives as a message afterwards.
      pending = source.next();
      pending.catch(() => {});
      const current = await read(0);
      if (finished) return DONE;
      return current ? emit(current) : finish();
    }
    if (lastWasFinal) return finish();
    for (;;) {
      const message = await (pending ?? source.next());
      pending = null;
      if (finished || message.done) return finish();
      // Stale or duplicate: the state it announces has been sent already.
      if (message.value.version <= lastVersion) continue;
      const current = await read(message.value.version);
      if (finished) return DONE;
      if (!current) return finish();
      // Already sent (the read for an earlier message saw this change too).
      if (current.version <= lastVersion) continue;
      const refused = options.refusal?.(current) ?? null;
      if (refused !== null) {
        await finish();
        return { done: false, value: refused };
      }
      const emitted = emit(current);
      // The event sent for this message is traced as caused by the change it announced.
      rememberCause(emitted.value, liveMessageCause(message.value));
      return emitted;
    }
  };

  return stoppableIterator(next, finish);
}

/**
 * An async iterator over `next` whose `return()` (and `throw()`) ends it at once through
 * `finish`: the shape of every live stream, which must stop listening the moment its subscriber
 * leaves, even while it waits for a message.
 */
export function stoppableIterator<T>(
  next: () => Promise<IteratorResult<T>>,
  finish: () => Promise<IteratorResult<T>>,
): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next,
    return: finish,
    throw: async (error: unknown) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
