import type { KeyObject } from 'node:crypto';
import type { CommandResult, SignedPayload } from '../protocol/schemas/index.ts';
import { openSigned, REJECT_TEXT, type RejectCode } from '../protocol/signed.ts';
import { COMMANDS, type CommandName } from '../protocol/topics.ts';
import { type CommandContext, CommandRefused } from './handlers/handler.ts';
import { HANDLERS } from './handlers/index.ts';
import { HQ_KEYS, type StoredResults } from './kiosk-state.ts';
import type { ReplayGuard } from './replay-guard.ts';

const KEEP_RESULTS = 256;
/** At most this many rejection reports per minute, so a flood cannot flood HQ in turn. */
const REJECT_REPORTS_PER_MIN = 30;

export interface RouterDeps {
  ctx: CommandContext;
  keys: () => readonly KeyObject[];
  replay: ReplayGuard;
  results: StoredResults;
  report: (r: CommandResult) => Promise<void>;
  /** Told about every refused message (for tests and the UI). */
  onReject: (r: { code: RejectCode; detail: string; topic: string }) => void;
}

/**
 * Verifies and applies HQ commands one at a time. Unsigned, badly signed, expired, replayed or
 * other-station messages are logged, reported and change nothing. A command that is authentic
 * but refused on its merits is reported `rejected` with the reason; one that failed on an I/O error
 * is reported `failed` and may be sent again (its sequence number is not used up).
 */
export class CommandRouter {
  private queue: Promise<void> = Promise.resolve();
  private rejectWindow = { start: 0, count: 0 };

  constructor(private readonly deps: RouterDeps) {}

  /** Queues one message from `down/cmd/<name>`; never rejects. */
  handle(topicCmd: string, raw: Buffer): Promise<void> {
    const run = (): Promise<void> => this.process(topicCmd, raw).catch((e: unknown) => this.crashGuard(e));
    this.queue = this.queue.then(run, run);
    return this.queue;
  }

  /** Verifies a non-command message (answer, ack) the same way; null when refused. */
  open(raw: Buffer, topic: string, kind: 'res' | 'ack'): SignedPayload | null {
    const { ctx, keys } = this.deps;
    const r = openSigned(raw, keys(), ctx.station, ctx.clock.now());
    if (!r.ok) {
      this.reject(r.code, r.detail, topic, null, null);
      return null;
    }
    if (r.payload.kind !== kind) {
      this.reject('HQ_E_TOPIC_MISMATCH', `${r.payload.kind} on ${kind} topic`, topic, null, null);
      return null;
    }
    return r.payload;
  }

  reject(code: RejectCode, detail: string, topic: string, cmd: string | null, seq: number | null): void {
    const { ctx } = this.deps;
    ctx.logger.warn({ code, detail, topic, cmd, seq }, 'message from HQ refused');
    this.deps.onReject({ code, detail, topic });
    const now = ctx.clock.now();
    if (now - this.rejectWindow.start > 60_000) this.rejectWindow = { start: now, count: 0 };
    if (++this.rejectWindow.count > REJECT_REPORTS_PER_MIN) return;
    const first = seq !== null && code === 'HQ_E_REPLAYED' ? this.deps.results[String(seq)] : undefined;
    const known = cmd !== null && (COMMANDS as readonly string[]).includes(cmd) ? cmd : null;
    this.send({
      cmd: known,
      seq,
      status: 'rejected',
      reason: { code, ...REJECT_TEXT[code] },
      ...(first ? { first } : {}),
    });
  }

  private async process(topicCmd: string, raw: Buffer): Promise<void> {
    const { ctx, keys, replay } = this.deps;
    const topic = `down/cmd/${topicCmd}`;
    const opened = openSigned(raw, keys(), ctx.station, ctx.clock.now());
    if (!opened.ok) {
      const p = opened.payload as { seq?: number; cmd?: string } | undefined;
      this.reject(opened.code, opened.detail, topic, p?.cmd ?? topicCmd, p?.seq ?? null);
      return;
    }
    const msg = opened.payload;
    if (msg.kind !== 'cmd' || msg.cmd !== topicCmd) {
      const seq = msg.kind === 'cmd' ? msg.seq : null;
      this.reject('HQ_E_TOPIC_MISMATCH', `${msg.kind} on ${topic}`, topic, topicCmd, seq);
      return;
    }
    if (!replay.fresh(msg.seq)) {
      this.reject('HQ_E_REPLAYED', `seq ${msg.seq} already used`, topic, msg.cmd, msg.seq);
      return;
    }
    const handler = HANDLERS[msg.cmd as CommandName];
    const parsed = handler.schema.safeParse(msg.data);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      await this.finish(msg.seq, msg.cmd, 'rejected', {
        code: 'HQ_E_INVALID_COMMAND',
        ...REJECT_TEXT.HQ_E_INVALID_COMMAND,
        en: detail,
      });
      ctx.logger.warn({ cmd: msg.cmd, seq: msg.seq, detail }, 'HQ command invalid');
      return;
    }
    try {
      const data = await handler.apply(parsed.data, ctx, { seq: msg.seq });
      await this.finish(msg.seq, msg.cmd, 'applied', undefined, data);
    } catch (e) {
      if (e instanceof CommandRefused) {
        ctx.logger.warn({ cmd: msg.cmd, seq: msg.seq, code: e.code, reason: e.en }, 'HQ command refused');
        await this.finish(msg.seq, msg.cmd, 'rejected', { code: e.code, zh: e.zh, en: e.en }, e.data);
        return;
      }
      ctx.logger.error({ cmd: msg.cmd, seq: msg.seq, err: e }, 'HQ command failed');
      this.send({
        cmd: msg.cmd,
        seq: msg.seq,
        status: 'failed',
        reason: { code: 'HQ_E_APPLY_FAILED', zh: '指令执行失败', en: (e as Error).message },
      });
    }
  }

  /** Uses up the sequence number durably, then reports. */
  private async finish(
    seq: number,
    cmd: string,
    status: CommandResult['status'],
    reason?: CommandResult['reason'],
    data?: Record<string, unknown>,
  ): Promise<void> {
    const { ctx, replay, results } = this.deps;
    const at = ctx.clock.now();
    replay.record(seq);
    results[String(seq)] = { status, at };
    const keys = Object.keys(results)
      .map(Number)
      .sort((a, b) => a - b);
    for (const k of keys.slice(0, Math.max(0, keys.length - KEEP_RESULTS))) delete results[String(k)];
    await ctx.journal.commit((b) => {
      b.put(HQ_KEYS.replay, replay.state());
      b.put(HQ_KEYS.results, results);
    });
    this.send({
      cmd: cmd as CommandName,
      seq,
      status,
      ...(reason ? { reason } : {}),
      ...(data ? { data } : {}),
    });
  }

  private send(r: Omit<CommandResult, 'v' | 'station' | 'at'>): void {
    const { ctx } = this.deps;
    this.deps
      .report({ v: 1, station: ctx.station, at: ctx.clock.now(), ...r })
      .catch((e: unknown) => ctx.logger.warn({ err: e }, 'cannot report command result'));
  }

  private crashGuard(e: unknown): void {
    this.deps.ctx.logger.error({ err: e }, 'HQ command processing error');
  }
}
