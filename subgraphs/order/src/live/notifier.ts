import type { LivePubSub } from '@sky/events';
import type { Logger } from '@sky/logging';
import type { LiveNotice } from './channels.ts';

/**
 * Publishes live messages; callers hand it to `afterCommit`, so a message only ever goes out after
 * the change it announces has committed (a subscriber that re-reads on a message must see it).
 * Best effort: a failure is logged, never thrown, since the change itself is done and subscribers
 * catch up on the next message or when they reconnect (their first message is the current state).
 */
export class LiveNotifier {
  constructor(
    private readonly live: LivePubSub,
    private readonly logger: Logger,
  ) {}

  /** Sends the messages in order. The promise never rejects; callers need not wait for it. */
  async publish(notices: readonly LiveNotice[]): Promise<void> {
    for (const notice of notices) {
      try {
        await this.live.publish(notice.channel, notice.payload);
      } catch (error) {
        this.logger.warn({ err: error, channel: notice.channel }, 'live update not published');
      }
    }
  }
}
