import { randomBytes } from 'node:crypto';
import type { Journal } from '../journal/journal.ts';
import { FOLLOW_KEY_KEY } from '../journal/keys.ts';
import type { Logger } from '../platform/logger.ts';

/**
 * This kiosk's secret for the customers' follow tokens (32 random bytes), kept in its own journal
 * (never in the repository, never relayed to HQ: no event carries it) so that a token issued before
 * a restart still opens its transaction's stream after it. Drawn and stored at the first start. A
 * journal that cannot store it gives a key for this run only (tokens then end with the run).
 */
export async function loadFollowKey(journal: Journal, logger: Logger): Promise<Buffer> {
  try {
    const kept = await journal.getJson<{ key: string }>(FOLLOW_KEY_KEY);
    if (kept && typeof kept.key === 'string') {
      const key = Buffer.from(kept.key, 'base64url');
      if (key.length === 32) return key;
      logger.error(
        { key: FOLLOW_KEY_KEY },
        'stored follow-token secret has the wrong length; drawing a new one',
      );
    }
    const key = randomBytes(32);
    await journal.commit((b) => b.put(FOLLOW_KEY_KEY, { key: key.toString('base64url') }));
    return key;
  } catch (err) {
    logger.error({ err }, 'follow-token secret not stored; follow tokens last only until the next start');
    return randomBytes(32);
  }
}
