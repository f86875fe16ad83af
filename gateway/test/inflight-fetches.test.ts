import { describe, expect, it } from 'vitest';
import { InFlightFetches, inFlightKey, type SubgraphAnswer } from '../src/inflight-fetches.ts';

const URL = 'http://catalog/graphql';
const BODY = '{"query":"query{dishes{id}}"}';
const answer = (text: string): SubgraphAnswer => ({
  status: 200,
  statusText: 'OK',
  headers: [['content-type', 'application/json']],
  text,
});

/** A fetch that answers when the test says so, counting how often it was started. */
function heldFetch() {
  let release!: (answer: SubgraphAnswer) => void;
  const held = new Promise<SubgraphAnswer>((resolve) => (release = resolve));
  const fetch = { started: 0, release, run: () => (fetch.started++, held) };
  return fetch;
}

describe('in-flight deduplication of subgraph reads', () => {
  it('sends identical concurrent fetches once and gives every caller the answer', async () => {
    const inFlight = new InFlightFetches();
    const fetch = heldFetch();
    const key = inFlightKey(URL, BODY, { authorization: 'Bearer a', 'x-request-id': '1' });
    const sameButPlumbing = inFlightKey(URL, BODY, {
      authorization: 'Bearer a',
      'x-request-id': '2',
      traceparent: '00-abc',
    });
    expect(sameButPlumbing).toBe(key);
    const first = inFlight.run(key, 1000, fetch.run);
    const second = inFlight.run(sameButPlumbing, 1000, fetch.run);
    fetch.release(answer('{"data":{}}'));
    expect(await first).toEqual(answer('{"data":{}}'));
    expect(await second).toEqual(answer('{"data":{}}'));
    expect(fetch.started).toBe(1);
    expect(inFlight.shared).toBe(1);
    // Nothing is kept once answered: the next identical fetch goes to the subgraph again.
    expect(inFlight.size).toBe(0);
  });

  it('never shares between principals, client addresses, subgraphs or documents', () => {
    const base = inFlightKey(URL, BODY, { authorization: 'Bearer a' });
    expect(inFlightKey(URL, BODY, { authorization: 'Bearer b' })).not.toBe(base);
    expect(inFlightKey(URL, BODY, {})).not.toBe(base);
    expect(
      inFlightKey(URL, BODY, { authorization: 'Bearer a', 'x-forwarded-for': '10.0.0.2' }),
    ).not.toBe(base);
    expect(inFlightKey('http://order/graphql', BODY, { authorization: 'Bearer a' })).not.toBe(base);
    expect(
      inFlightKey(URL, '{"query":"query{dishes{id}}","variables":{"a":1}}', {
        authorization: 'Bearer a',
      }),
    ).not.toBe(base);
  });

  it('lets a waiter give up at its own budget while the fetch goes on for the others', async () => {
    const inFlight = new InFlightFetches();
    const fetch = heldFetch();
    const key = inFlightKey(URL, BODY, {});
    const patient = inFlight.run(key, 60_000, fetch.run);
    const hurried = inFlight.run(key, 20, fetch.run);
    await expect(hurried).rejects.toMatchObject({ name: 'TimeoutError' });
    fetch.release(answer('{"data":{"ok":true}}'));
    expect((await patient).text).toBe('{"data":{"ok":true}}');
  });

  it('passes a failure to every waiter and forgets it', async () => {
    const inFlight = new InFlightFetches();
    const key = inFlightKey(URL, BODY, {});
    let started = 0;
    const failing = () => (started++, Promise.reject(new Error('ECONNRESET')));
    const results = await Promise.allSettled([
      inFlight.run(key, 1000, failing),
      inFlight.run(key, 1000, failing),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(started).toBe(1);
    await expect(inFlight.run(key, 1000, failing)).rejects.toThrow('ECONNRESET');
    expect(started).toBe(2);
  });
});
