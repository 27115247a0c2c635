import { z } from 'zod';
import { guideSchema } from '../core/assist/guide.ts';
import { requestUpdateSchema } from '../core/assist/request.ts';
import { shanghaiDay } from './billers/biller.ts';
import type { HqServer } from './server.ts';

const station = z.string().regex(/^\d{8}$/);
const target = z.strictObject({
  station: station.optional(),
  group: z.string().min(1).optional(),
  all: z.boolean().optional(),
});

/** Every problem of a zod parse as one message, each naming its path. */
function problems(e: z.ZodError, prefix: string): string {
  return e.issues.map((i) => `${prefix}${i.path.map(String).join('.')}: ${i.message}`).join('; ');
}

/**
 * `kiosk-hq` actions of the assisted services: publish the service guide (checked here first, every
 * problem listed, and again by each kiosk), list the stations' requests, move a request (a signed
 * `request` command; the kiosk applies it to its state machine) and read a station's monthly
 * statistics.
 */
export async function assistAdmin(
  hq: HqServer,
  action: 'guide-push' | 'requests' | 'request-update' | 'request-stats',
  a: Record<string, unknown>,
  now: number,
): Promise<unknown> {
  switch (action) {
    case 'guide-push': {
      const args = z.strictObject({ target, guide: z.unknown() }).parse(a);
      const g = guideSchema.safeParse(args.guide);
      if (!g.success) throw new Error(`invalid guide: ${problems(g.error, 'guide.')}`);
      const stations = await hq.stations.resolve(args.target);
      if (stations.length === 0) throw new Error('no station matches the target');
      const out = [];
      for (const s of stations) {
        const p = await hq.commands.send(s, 'guide', g.data);
        out.push({ station: s, seq: p.seq, version: g.data.version });
      }
      return out;
    }
    case 'requests': {
      const args = z.strictObject({ station: station.optional(), open: z.boolean().optional() }).parse(a);
      const rows = await hq.requests.list(args.station);
      return rows
        .filter((r) => !args.open || (r.state !== 'closed' && r.state !== 'refused'))
        .sort((x, y) => y.registeredAt - x.registeredAt);
    }
    case 'request-update': {
      const args = z.strictObject({ station, update: z.unknown() }).parse(a);
      const u = requestUpdateSchema.safeParse(args.update);
      if (!u.success) throw new Error(problems(u.error, ''));
      if (!(await hq.requests.get(args.station, u.data.id)))
        throw new Error(`id: station ${args.station} has relayed no request ${u.data.id}`);
      const p = await hq.commands.send(args.station, 'request', u.data);
      return { station: args.station, id: u.data.id, to: u.data.to, seq: p.seq };
    }
    case 'request-stats': {
      const args = z
        .strictObject({
          station,
          month: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        })
        .parse(a);
      const month = args.month ?? shanghaiDay(now, hq.opts.dayCut ?? '21:00').slice(0, 6);
      const sent = await hq.requests.stats(args.station, month);
      if (!sent) throw new Error(`station ${args.station} has sent no statistics for ${month}`);
      return sent;
    }
  }
}
