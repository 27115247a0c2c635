import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { EffectResult } from '../../src/core/transaction/types.ts';
import type { HqPort, HqRequest } from '../../src/engine/ports.ts';

interface HqState {
  answered: Record<string, EffectResult>;
  charges: Record<string, number>;
  reversals: Record<string, number>;
  requests: number;
}

/**
 * An HQ double whose memory survives the kiosk process being killed: every request is written to a
 * JSON file before it is answered. It answers repeats of state-changing requests with the first
 * answer, like the reference HQ, so a crash test can count real charges.
 *
 * `pay` answers `payOutcome`; status queries answer ok for a charged transaction; `reverse` and
 * `reverse-status` answer ok. `crashAfterCharge` kills the calling process right after a charge is
 * recorded and before the answer returns: the kiosk never learns the outcome.
 */
export class FileHq implements HqPort {
  constructor(
    private readonly file: string,
    private readonly opts: { payOutcome: 'ok' | 'pending'; crashAfterCharge?: boolean },
  ) {}

  static read(file: string): HqState {
    return existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as HqState)
      : { answered: {}, charges: {}, reversals: {}, requests: 0 };
  }

  async request(req: HqRequest): Promise<EffectResult> {
    const s = FileHq.read(this.file);
    s.requests++;
    const txnKey = req.idempotencyKey.split(':')[0] ?? '';
    const first = s.answered[req.idempotencyKey];
    let result: EffectResult;
    if ((req.op === 'pay' || req.op === 'reverse') && first) {
      result = first;
    } else if (req.op === 'pay') {
      result = { outcome: this.opts.payOutcome, data: { billerRef: `B${req.serial}` } };
      s.answered[req.idempotencyKey] = result;
      s.charges[txnKey] = (s.charges[txnKey] ?? 0) + 1;
    } else if (req.op === 'reverse') {
      result = { outcome: 'ok' };
      s.answered[req.idempotencyKey] = result;
      s.reversals[txnKey] = (s.reversals[txnKey] ?? 0) + 1;
    } else if (req.op === 'status') {
      result = { outcome: s.charges[txnKey] ? 'ok' : 'declined' };
    } else {
      result = { outcome: s.reversals[txnKey] ? 'ok' : 'declined' };
    }
    writeFileSync(this.file, JSON.stringify(s));
    if (this.opts.crashAfterCharge && (req.op === 'pay' || req.op === 'reverse') && !first)
      process.kill(process.pid, 'SIGKILL');
    return result;
  }
}
