import type { KeyObject } from 'node:crypto';
import type { CommandResult, SignedCommand } from '../protocol/schemas/index.ts';
import { signPayload } from '../protocol/signed.ts';
import { type CommandName, commandTopic } from '../protocol/topics.ts';
import { type HqStore, pad16, type StoreOp } from './store.ts';

export interface PendingCommand {
  station: string;
  seq: number;
  cmd: CommandName;
  envelope: string;
  exp: number;
  sentAt: number;
}

/** Default validity of a command, ms. */
export const COMMAND_TTL_MS = 24 * 3_600_000;
/** A command whose result has not come back after this long is sent again, ms. */
export const COMMAND_ACK_OVERDUE_MS = 30_000;

/**
 * Issues signed commands: per-station sequence numbers (shared by every HQ instance on the store),
 * kept as pending until the kiosk reports a result and re-sent once their result is overdue (when the
 * kiosk comes back online and periodically while it is online), so a kiosk that was offline still
 * gets them (until they expire) while a command in flight is never sent twice at once.
 */
export class CommandSender {
  constructor(
    private readonly store: HqStore,
    private readonly key: KeyObject,
    private readonly prefix: string,
    private readonly publish: (topic: string, payload: string) => Promise<void>,
    private readonly now: () => number,
  ) {}

  /**
   * Stores the command as pending (with its sequence number) and publishes it. `atomically`, when
   * given, writes the command's ops in one batch with the state change the command reports (a
   * balance credit and the command telling the kiosk about it): it returns false when that change
   * was applied before, and the command is then stored on its own (the kiosk applies a ref once).
   */
  async send(
    station: string,
    cmd: CommandName,
    data: unknown,
    ttlMs = COMMAND_TTL_MS,
    atomically?: (ops: StoreOp[]) => Promise<boolean>,
  ): Promise<PendingCommand> {
    const p = await this.store.withLock(`cs:${station}`, async () => {
      const seq = ((await this.store.get<number>(`cs:${station}`)) ?? 0) + 1;
      const iat = this.now();
      const payload: SignedCommand = { kind: 'cmd', station, iat, exp: iat + ttlMs, seq, cmd, data };
      const pending: PendingCommand = {
        station,
        seq,
        cmd,
        envelope: JSON.stringify(signPayload(this.key, payload)),
        exp: payload.exp,
        sentAt: iat,
      };
      const ops: StoreOp[] = [
        { type: 'put', key: `cs:${station}`, value: seq },
        { type: 'put', key: `cp:${station}:${pad16(seq)}`, value: pending },
      ];
      if (!atomically || !(await atomically(ops))) await this.store.batch(ops);
      return pending;
    });
    await this.publish(commandTopic(this.prefix, station, cmd), p.envelope).catch(() => undefined);
    return p;
  }

  async pending(station: string): Promise<PendingCommand[]> {
    return (await this.store.list<PendingCommand>(`cp:${station}:`)).map(([, v]) => v);
  }

  /**
   * Re-sends the station's pending commands whose result is overdue (sent at least `overdueMs`
   * ago), in sequence order, and notes when each was re-sent; drops expired ones.
   */
  async resendPending(station: string, overdueMs = COMMAND_ACK_OVERDUE_MS): Promise<number> {
    let n = 0;
    for (const p of await this.pending(station)) {
      const now = this.now();
      if (p.exp <= now) {
        await this.store.batch([
          { type: 'del', key: `cp:${station}:${pad16(p.seq)}` },
          {
            type: 'put',
            key: `cr:${station}:${pad16(p.seq)}`,
            value: { status: 'expired', cmd: p.cmd, at: now },
          },
        ]);
        continue;
      }
      if (now - p.sentAt < overdueMs) continue;
      const key = `cp:${station}:${pad16(p.seq)}`;
      // Only if the result has not arrived meanwhile: a result deletes the pending entry.
      const still = await this.store.get<PendingCommand>(key);
      if (!still) continue;
      await this.store.put(key, { ...still, sentAt: now });
      await this.publish(commandTopic(this.prefix, station, p.cmd), p.envelope).catch(() => undefined);
      n++;
    }
    return n;
  }

  /** Records the kiosk's result; a replay report that carries the first result completes it too. */
  async result(r: CommandResult): Promise<void> {
    if (r.seq === null) {
      await this.store.put(`cx:${r.station}:${pad16(r.at)}`, r);
      return;
    }
    const done = r.status !== 'rejected' || r.reason?.code !== 'HQ_E_REPLAYED' || r.first !== undefined;
    await this.store.batch([
      { type: 'put', key: `cr:${r.station}:${pad16(r.seq)}`, value: r },
      ...(done ? [{ type: 'del' as const, key: `cp:${r.station}:${pad16(r.seq)}` }] : []),
    ]);
  }

  async resultOf(station: string, seq: number): Promise<CommandResult | undefined> {
    return this.store.get<CommandResult>(`cr:${station}:${pad16(seq)}`);
  }
}
