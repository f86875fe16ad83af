/**
 * Child process of bench/subscribers.ts: opens N graphql-ws connections to one gateway, each
 * subscribing to one order's status, and reports when every subscriber has seen each status
 * (with the receive times), so the parent's memory figures contain no client objects.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [gatewayUrl, token, orderId, countArg] = process.argv.slice(2);
const count = Number(countArg);
const seen = new Map<string, number[]>();
const report = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

for (let i = 0; i < count; i++) {
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
