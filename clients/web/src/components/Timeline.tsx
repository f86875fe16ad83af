import type { OrderStatus, OrderTimelineFragment } from '@sky/client-kit';
import { formatTime } from '../format.ts';

/** The order's way from placed to delivered, as the reference platform names its statuses. */
const steps: { status: OrderStatus; label: string }[] = [
  { status: 'PENDING_PAYMENT', label: 'Placed, waiting for payment' },
  { status: 'TO_BE_CONFIRMED', label: 'Paid, waiting for the merchant' },
  { status: 'CONFIRMED', label: 'Accepted by the merchant' },
  { status: 'DELIVERY_IN_PROGRESS', label: 'On the way' },
  { status: 'COMPLETED', label: 'Delivered' },
];

export const statusLabel = (status: OrderStatus) =>
  steps.find((step) => step.status === status)?.label ?? 'Cancelled';

export function Timeline({ order }: { order: OrderTimelineFragment }) {
  const reachedAt = new Map(order.statusHistory.map((change) => [change.to, change.at]));
  const cancelled = order.status === 'CANCELLED';
  return (
    <ol className="timeline" data-testid="timeline">
      {steps.map((step) => {
        const at = reachedAt.get(step.status);
        const className = [at ? 'reached' : '', order.status === step.status ? 'current' : '']
          .join(' ')
          .trim();
        return (
          <li key={step.status} data-status={step.status} className={className || undefined}>
            <span>{step.label}</span>
            {at && <time dateTime={at}>{formatTime(at)}</time>}
          </li>
        );
      })}
      {cancelled && (
        <li data-status="CANCELLED" className="reached current cancelled">
          <span>
            Cancelled{order.rejectionReason || order.cancelReason ? ': ' : ''}
            {order.rejectionReason ?? order.cancelReason}
          </span>
          {reachedAt.get('CANCELLED') && <time>{formatTime(reachedAt.get('CANCELLED')!)}</time>}
        </li>
      )}
    </ol>
  );
}
