import type { LedSign, ProofOfDisplay } from '../../devices/display/index.ts';
import type { StoredNotice } from '../hq/kiosk-state.ts';
import type { Journal } from '../journal/journal.ts';
import type { Logger } from '../platform/logger.ts';

/**
 * Carries HQ's notices to the roof sign and the sign's proof of display back to HQ. The link hands
 * over the full set of active notices whenever it changes: new or changed ones are published (the
 * sign ignores an identical re-send), ones that left the set are withdrawn. Each proof becomes a
 * journal event, so it reaches HQ through the outbox exactly once, even across power loss.
 */
export class NoticeBridge {
  private shown = new Set<string>();
  private readonly onProof = (p: ProofOfDisplay): void => {
    this.journal
      .commit((b) => {
        b.event({ type: 'system', info: { kind: 'display-proof', ...p } });
      })
      .catch((e: unknown) =>
        this.logger.error({ err: e, noticeId: p.noticeId }, 'proof of display not recorded'),
      );
  };

  constructor(
    private readonly sign: LedSign,
    private readonly journal: Journal,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.sign.on('proof', this.onProof);
  }

  stop(): void {
    this.sign.off('proof', this.onProof);
  }

  /** Applies the link's current list of active notices. */
  update(list: readonly StoredNotice[]): void {
    const next = new Set<string>();
    for (const n of list) {
      const result = this.sign.publish({
        id: n.id,
        text: n.text,
        priority: n.priority,
        ...(n.startAt !== null ? { startsAt: n.startAt } : {}),
        ...(n.endAt !== null ? { endsAt: n.endAt } : {}),
        ...(n.followUpOf !== null ? { followUpOf: n.followUpOf } : {}),
        source: 'hq',
      });
      next.add(n.id);
      this.logger.info({ noticeId: n.id, priority: n.priority, result }, 'notice for the sign');
    }
    for (const id of this.shown) if (!next.has(id)) this.sign.withdraw(id);
    this.shown = next;
  }
}
