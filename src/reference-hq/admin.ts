import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { stationId } from '../protocol/schemas/common.ts';
import {
  type AdminRequest,
  type AdminResponse,
  balanceCommandSchema,
  noticeCommandSchema,
  noticeFieldsSchema,
  reportCommandSchema,
} from '../protocol/schemas/index.ts';
import { HQ_TOPICS } from '../protocol/topics.ts';
import { shanghaiDay } from './billers/biller.ts';
import type { PaymentRecord } from './billers/payment-biller.ts';
import { answerOf, expireQrOrder, listQrOrders, payQrOrder } from './billers/payment-qr.ts';
import { assistAdmin } from './requests-admin.ts';
import type { HqServer } from './server.ts';
import { monthlyStats } from './stats.ts';

const target = z.strictObject({
  station: stationId.optional(),
  group: z.string().min(1).optional(),
  all: z.boolean().optional(),
});
const stationArg = z.strictObject({ station: stationId });
const yuanToFen = (s: string): number => {
  const [y, f = ''] = s.replace('-', '').split('.');
  return (s.startsWith('-') ? -1 : 1) * (Number(y) * 100 + Number(f.padEnd(2, '0')));
};

/** Every `kiosk-hq` action, answered by whichever HQ instance received it. */
export async function handleAdmin(hq: HqServer, req: AdminRequest): Promise<AdminResponse> {
  try {
    return { v: 1, id: req.id, ok: true, data: await run(hq, req) };
  } catch (e) {
    const message =
      e instanceof z.ZodError
        ? e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
        : (e as Error).message;
    return { v: 1, id: req.id, ok: false, error: { code: 'HQ_E_ADMIN', message } };
  }
}

async function run(hq: HqServer, req: AdminRequest): Promise<unknown> {
  const a = req.args;
  const now = hq.opts.clock.now();
  switch (req.action) {
    case 'guide-push':
    case 'requests':
    case 'request-update':
    case 'request-stats':
      return assistAdmin(hq, req.action, a, now);
    case 'kiosks': {
      const rows = [];
      for (const r of await hq.stations.list()) {
        const meta = await hq.archive.meta(r.station);
        const acc = await hq.accounts.get(r.station);
        rows.push({
          ...r,
          journal: meta,
          accountFen: acc.balanceFen,
          pendingCommands: (await hq.commands.pending(r.station)).length,
        });
      }
      return rows;
    }
    case 'notice-send': {
      const args = z
        .strictObject({
          target,
          notice: noticeFieldsSchema.partial({
            id: true,
            followUpOf: true,
            kind: true,
            startAt: true,
            endAt: true,
          }),
          ttlMs: z.int().optional(),
        })
        .parse(a);
      const notice = noticeCommandSchema.parse({
        id: args.notice.id ?? `N${now.toString(36).toUpperCase()}`,
        kind: args.notice.kind ?? (args.notice.followUpOf ? 'follow-up' : 'first'),
        followUpOf: args.notice.followUpOf ?? null,
        startAt: args.notice.startAt ?? null,
        endAt: args.notice.endAt ?? null,
        text: args.notice.text,
        priority: args.notice.priority,
      });
      return fanOut(hq, args.target, 'notice', notice, args.ttlMs);
    }
    case 'notice-withdraw': {
      const args = z.strictObject({ target, id: z.string().min(1) }).parse(a);
      return fanOut(hq, args.target, 'notice-withdraw', { id: args.id });
    }
    case 'config-push': {
      const args = z
        .strictObject({
          target,
          overrides: z.record(z.string(), z.unknown()),
          version: z.int().min(1).optional(),
        })
        .parse(a);
      const out = [];
      for (const station of await hq.stations.resolve(args.target)) {
        const version = args.version ?? ((await hq.opts.store.get<number>(`cv:${station}`)) ?? 0) + 1;
        await hq.opts.store.put(`cv:${station}`, version);
        const p = await hq.commands.send(station, 'config', { version, overrides: args.overrides });
        out.push({ station, seq: p.seq, version });
      }
      return out;
    }
    case 'services': {
      const args = z.strictObject({ target, enabled: z.array(z.string()) }).parse(a);
      return fanOut(hq, args.target, 'services', { enabled: args.enabled });
    }
    case 'terminal': {
      const args = stationArg
        .extend({
          terminalNo: z
            .string()
            .regex(/^\d{8}$/)
            .nullable(),
          status: z.enum(['enabled', 'disabled']),
          reason: z.string().min(1).max(200).optional(),
        })
        .parse(a);
      await hq.stations.setTerminal(args.station, { terminalNo: args.terminalNo, status: args.status });
      const p = await hq.commands.send(args.station, 'terminal', {
        terminalNo: args.terminalNo,
        status: args.status,
        ...(args.reason ? { reason: args.reason } : {}),
      });
      return { station: args.station, seq: p.seq };
    }
    case 'topup':
    case 'balance-event': {
      const args = stationArg
        .extend({
          amount: z.string().regex(/^-?\d{1,9}(\.\d{1,2})?$/),
          kind: z.enum(['topup', 'topup-reversal', 'adjustment', 'refund']).default('topup'),
          ref: z
            .string()
            .regex(/^[\w.:-]{1,64}$/)
            .optional(),
          note: z.string().max(200).optional(),
          original: z
            .string()
            .regex(/^[\w.:-]{1,64}$/)
            .optional(),
        })
        .parse(a);
      const fen = yuanToFen(args.amount);
      if (args.kind === 'topup-reversal')
        await checkTopupReversal(hq, args.station, args.original, Math.abs(fen), now);
      const ref =
        args.ref ??
        `${args.kind === 'topup' ? 'DEP' : 'ADJ'}${shanghaiDay(now, hq.opts.dayCut ?? '21:00')}${randomUUID().slice(0, 8).toUpperCase()}`;
      const ev = balanceCommandSchema.parse({
        kind: args.kind,
        fen: args.kind === 'adjustment' ? fen : Math.abs(fen),
        ref,
        ...(args.note ? { note: args.note } : {}),
        ...(args.original ? { original: args.original } : {}),
      });
      const delta = ev.kind === 'topup-reversal' ? -ev.fen : ev.fen;
      // The credit, the reversal's mark and the command telling the kiosk: one atomic write.
      const p = await hq.commands.send(args.station, 'balance', ev, undefined, (ops) =>
        hq.accounts.change(args.station, delta, `admin:${ref}`, ev.kind, [
          ...ops,
          ...(args.original
            ? [{ type: 'put' as const, key: `trv:${args.station}:${args.original}`, value: { ref, at: now } }]
            : []),
        ]),
      );
      return {
        station: args.station,
        ref,
        fen: ev.fen,
        kind: ev.kind,
        seq: p.seq,
        accountFen: (await hq.accounts.get(args.station)).balanceFen,
      };
    }
    case 'stats-monthly': {
      const args = z
        .strictObject({
          month: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        })
        .parse(a);
      const month = args.month ?? shanghaiDay(now, hq.opts.dayCut ?? '21:00').slice(0, 6);
      const counts = [];
      for (const r of await hq.stations.list())
        counts.push({ station: r.station, byMonth: await hq.archive.monthlyCounts(r.station) });
      return monthlyStats(counts, month);
    }
    case 'settlements': {
      const args = z
        .strictObject({
          station: stationId.optional(),
          mismatch: z.boolean().optional(),
        })
        .parse(a);
      return hq.settlements.list(args.station, args.mismatch ?? false);
    }
    case 'monthly-reports': {
      const args = z
        .strictObject({
          month: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
          station: stationId.optional(),
        })
        .parse(a);
      return hq.archive.monthlyReports(args.month, args.station);
    }
    case 'repayments': {
      const day = z.string().regex(/^\d{8}$/);
      const args = z.strictObject({ from: day, to: day }).parse(a);
      const terminals = new Map(
        (await hq.stations.list()).map((r) => [r.station, r.terminal?.terminalNo ?? null]),
      );
      return (await hq.opts.store.list<PaymentRecord>('b:credit-card-repayment:r:'))
        .map(([, r]) => r)
        .filter((r) => r.day >= args.from && r.day <= args.to)
        .map((r) => ({
          station: r.station,
          terminal: terminals.get(r.station) ?? null,
          serial: r.serial,
          day: r.day,
          amountFen: r.amountFen,
          status: r.status,
          ref: r.ref,
        }));
    }
    case 'report': {
      const args = stationArg
        .extend({ report: z.enum(['daily', 'monthly', 'open']), period: z.string().nullable().default(null) })
        .parse(a);
      const data = reportCommandSchema.parse({ report: args.report, period: args.period });
      const p = await hq.commands.send(args.station, 'report', data);
      return { station: args.station, seq: p.seq };
    }
    case 'journal': {
      const args = stationArg
        .extend({ fromSeq: z.int().min(1).default(1), limit: z.int().min(1).max(10_000).default(100) })
        .parse(a);
      return {
        meta: await hq.archive.meta(args.station),
        events: await hq.archive.events(args.station, args.fromSeq, args.limit),
      };
    }
    case 'qr-list': {
      const args = z
        .strictObject({
          station: stationId.optional(),
        })
        .parse(a);
      return (await listQrOrders(hq.opts.store, now, args.station)).map(answerOf);
    }
    case 'qr-pay':
    case 'qr-expire': {
      const { ref } = z.strictObject({ ref: z.string().regex(/^[\w-]{1,64}$/) }).parse(a);
      return answerOf(
        req.action === 'qr-pay'
          ? await payQrOrder(hq.opts.store, ref, now)
          : await expireQrOrder(hq.opts.store, ref, now),
      );
    }
    case 'fault': {
      const args = z
        .strictObject({
          service: z.string(),
          mode: z.enum(['normal', 'slow', 'failing', 'silent', 'duplicate', 'unknown']),
          latencyMs: z.int().min(0).optional(),
        })
        .parse(a);
      const control = { v: 1 as const, ...args };
      hq.faults.apply(control);
      await hq.raw(HQ_TOPICS.control, JSON.stringify(control));
      return hq.faults.list();
    }
  }
}

/**
 * A counter top-up reversal (现金缴费撤销) names the deposit slip of a top-up of this station made on
 * the same business date (HQ's day cut), for its exact amount, and is made once.
 */
async function checkTopupReversal(
  hq: HqServer,
  station: string,
  original: string | undefined,
  fen: number,
  now: number,
): Promise<void> {
  if (!original) throw new Error('original: a top-up reversal names the original deposit slip (--original)');
  const rec = await hq.opts.store.get<{ station: string; deltaFen: number; note: string; at: number }>(
    `ar:admin:${original}`,
  );
  if (!rec || rec.station !== station || rec.note !== 'topup')
    throw new Error(`original: no top-up of station ${station} with deposit slip ${original}`);
  const cut = hq.opts.dayCut ?? '21:00';
  if (shanghaiDay(rec.at, cut) !== shanghaiDay(now, cut))
    throw new Error('original: only a top-up of the same business date can be reversed');
  if (rec.deltaFen !== fen)
    throw new Error(`amount: must equal the top-up's ${(rec.deltaFen / 100).toFixed(2)} yuan`);
  if ((await hq.opts.store.get(`trv:${station}:${original}`)) !== undefined)
    throw new Error('original: this top-up has been reversed already');
}

async function fanOut(
  hq: HqServer,
  t: z.infer<typeof target>,
  cmd: 'notice' | 'notice-withdraw' | 'services',
  data: unknown,
  ttlMs?: number,
): Promise<Array<{ station: string; seq: number }>> {
  const stations = await hq.stations.resolve(t);
  if (stations.length === 0) throw new Error('no station matches the target');
  const out = [];
  for (const station of stations) {
    const p = await hq.commands.send(station, cmd, data, ttlMs);
    out.push({ station, seq: p.seq });
  }
  return out;
}
