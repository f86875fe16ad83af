/**
 * Child process of bench/subscribers.ts: opens N graphql-ws connections to one gateway, each
 * subscribing to one order's status, and reports when every subscriber has seen each status
 * (with the receive times), so the parent's memory figures contain no client objects.
 * Subscribers join in waves of `WAVE` (each wave once the previous one has its first state), the
 * way clients arrive over time rather than all in one instant: the figures are about holding and
 * feeding subscribers, not about surviving a connection storm (the hostile suite covers that).
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [gatewayUrl, token, orderId, countArg] = process.argv.slice(2);
const count = Number(countArg);
const seen = new Map<string, number[]>();
const report = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);
const WAVE = 500;
let firstStates = 0;
/** Called on each first state while a wave is waiting. */
let onFirstState: (() => void) | null = null;

for (let i = 0; i < count; i++) {
  if (i > 0 && i % WAVE === 0) {
    const joined = i;
    await new Promise<void>((resolve) => {
      onFirstState = () => {
        if (firstStates < joined) return;
        onFirstState = null;
        resolve();
      };
      onFirstState();
    });
  }
  const client = createClient({
    url: gatewayUrl!.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  client.subscribe<{ orderStatusChanged: { status: string } }>(
    {
      query: 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status version } }',
      variables: { id: orderId },
    },
    {
      next: (result) => {
        const status = result.data?.orderStatusChanged.status;
        if (!status) return;
        const times = seen.get(status) ?? [];
        times.push(Date.now());
        seen.set(status, times);
        if (status === 'PENDING_PAYMENT') {
          firstStates++;
          onFirstState?.();
        }
        if (times.length === count) report({ type: 'all-received', status, times });
      },
      // graphql-ws reports a close event, an error event or GraphQL errors.
      error: (error) => {
        const { code, reason, message } = error as {
          code?: number;
          reason?: string;
          message?: string;
        };
        report({
          type: 'error',
          error: code ? `closed ${code} ${reason}` : (message ?? JSON.stringify(error)),
        });
      },
      complete: () => {},
    },
  );
}
