import type { LedSign, ProofOfDisplay } from '../../devices/display/index.ts';
import type { Notice } from '../../devices/display/notice.ts';
import type { Journal } from '../journal/journal.ts';
import type { Logger } from '../platform/logger.ts';

/**
 * Carries HQ's notices to the roof sign and the sign's proof of display back to HQ. The link hands
 * over every notice HQ published that is not over, in the sign's own notice model, whenever the set
 * changes: each is published (the sign ignores an identical re-send and schedules the rest: windows,
 * threads, pre-emption, expiry), and ones HQ withdrew are withdrawn. Each proof becomes a
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

  /** Applies the link's current list of HQ notices. */
  update(list: readonly Notice[]): void {
    const next = new Set<string>();
    for (const n of list) {
      const result = this.sign.publish(n);
      next.add(n.id);
      this.logger.info({ noticeId: n.id, priority: n.priority, result }, 'notice for the sign');
    }
    for (const id of this.shown) if (!next.has(id)) this.sign.withdraw(id);
    this.shown = next;
  }
}
