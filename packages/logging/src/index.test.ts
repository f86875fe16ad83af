import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './index.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger('test', 'info', stream), lines };
}

describe('log redaction', () => {
  it('blanks credentials wherever a log object carries them', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        authorization: 'Bearer eyJ.secret',
        headers: { authorization: 'Bearer eyJ.secret', cookie: 'session=1', accept: 'json' },
        variables: { input: { email: 'a@b.co', password: 'hunter22' } },
        connectionParams: { authorization: 'Bearer eyJ.secret' },
        tokens: { accessToken: 'a', refreshToken: 'r' },
      },
      'request',
    );
    const line = lines[0]!;
    expect(JSON.stringify(line)).not.toMatch(/eyJ\.secret|hunter22|session=1/);
    expect(line).toMatchObject({
      authorization: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]', accept: 'json' },
      variables: { input: { email: 'a@b.co', password: '[redacted]' } },
      connectionParams: { authorization: '[redacted]' },
      tokens: { accessToken: '[redacted]', refreshToken: '[redacted]' },
    });
  });

  it('keeps the child bindings (request id) readable', () => {
    const { logger, lines } = capture();
    logger.child({ requestId: 'r-1' }).info('x');
    expect(lines[0]).toMatchObject({ requestId: 'r-1', service: 'test' });
  });
});

describe('trace ids', () => {
  it('puts the active span on each line written within it, and nothing outside one', () => {
    // A context manager, as the SDK registers one: without it no span is ever active.
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const { logger, lines } = capture();
    const span = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    });
    context.with(trace.setSpan(ROOT_CONTEXT, span), () =>
      logger.child({ requestId: 'r-1' }).info('inside'),
    );
    logger.info('outside');
    expect(lines[0]).toMatchObject({
      requestId: 'r-1',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
    });
    expect(lines[1]).not.toHaveProperty('trace_id');
    context.disable();
  });
});
