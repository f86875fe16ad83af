import type { LivePubSub } from '@sky/events';
import type { Logger } from '@sky/logging';
import type { LiveNotice } from './channels.ts';

/**
 * Publishes live messages, only ever after the change they announce has committed (a subscriber
 * that re-reads on a message must see it). Best effort: a failure is logged, never thrown, since
 * the change itself is done and subscribers catch up on the next message or when they reconnect
 * (their first message is the current state).
 */
export class LiveNotifier {
  constructor(
    /** The subgraph's pub/sub; a promise while the subgraph is still being built. */
    private readonly live: () => LivePubSub | Promise<LivePubSub>,
    private readonly logger: Logger,
  ) {}

  /** Sends the messages in order. The promise never rejects; callers need not wait for it. */
  async publish(notices: readonly LiveNotice[]): Promise<void> {
    if (notices.length === 0) return;
    let live: LivePubSub;
    try {
      live = await this.live();
    } catch (error) {
      this.logger.warn({ err: error }, 'live updates not published: no pub/sub');
      return;
    }
    for (const notice of notices) {
      try {
        await live.publish(notice.channel, notice.payload);
      } catch (error) {
        this.logger.warn({ err: error, channel: notice.channel }, 'live update not published');
      }
    }
  }
}
