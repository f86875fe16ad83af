import { randomUUID } from 'node:crypto';
import { consumersOf } from './routes.ts';
import type { SqlClient } from './sql.ts';

export interface NewEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/**
 * Records an event in the same transaction as the state change it describes (transactional
 * outbox): if the transaction commits, the event will be delivered; if not, it never existed.
 * Returns the event id.
 */
export async function appendToOutbox(tx: SqlClient, event: NewEvent): Promise<string> {
  const id = randomUUID();
  const consumers = [...consumersOf(event.type)];
  await tx.$executeRawUnsafe(
    `INSERT INTO outbox_events (id, "aggregateType", "aggregateId", type, payload, "pendingConsumers", "deliveredAt")
     VALUES ($1::uuid, $2, $3::uuid, $4, $5::jsonb, $6::text[], CASE WHEN cardinality($6::text[]) = 0 THEN now() END)`,
    id,
    event.aggregateType,
    event.aggregateId,
    event.type,
    JSON.stringify(event.payload),
    consumers,
  );
  return id;
}
