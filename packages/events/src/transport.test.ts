import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { inProcessTransport } from './transport.ts';

describe('in-process transport (embedded mode)', () => {
  it('delivers appended messages to every group, in order, retrying a failed handler', async () => {
    const transport = inProcessTransport(`test-${randomUUID()}`);
    const abort = new AbortController();
    const seenByA: string[] = [];
    const seenByB: string[] = [];
    let failOnce = true;
    const a = transport.consume(
      'events',
      'a',
      async (body) => {
        if (body === 'two' && failOnce) {
          failOnce = false;
          throw new Error('transient');
        }
        seenByA.push(body);
      },
      abort.signal,
    );
    const b = transport.consume(
      'events',
      'b',
      async (body) => {
        seenByB.push(body);
      },
      abort.signal,
    );
    for (const body of ['one', 'two', 'three']) await transport.append('events', body);
    await new Promise((r) => setTimeout(r, 1_000));
    abort.abort();
    await Promise.all([a, b]);
    expect(seenByA).toEqual(['one', 'two', 'three']);
    expect(seenByB).toEqual(['one', 'two', 'three']);
  });

  it('keeps namespaces apart', async () => {
    const abort = new AbortController();
    const seen: string[] = [];
    const consuming = inProcessTransport(`ns-${randomUUID()}`).consume(
      'events',
      'g',
      async (b) => {
        seen.push(b);
      },
      abort.signal,
    );
    await inProcessTransport(`ns-${randomUUID()}`).append('events', 'elsewhere');
    await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await consuming;
    expect(seen).toEqual([]);
  });
});
