import { z } from 'zod';
import { type Appointment, appointmentSchema } from '../core/assist/appointments.ts';
import { type Guide, guideSchema } from '../core/assist/guide.ts';
import { maskCitizen, maskRequest } from '../core/assist/privacy.ts';
import { type AssistRequest, assistRequestSchema } from '../core/assist/request.ts';
import { decodeParsed } from '../journal/codec.ts';
import type { Journal } from '../journal/journal.ts';
import {
  ASSIST_COUNTERS_KEY,
  appointmentKey,
  assistRequestKey,
  configKey,
  prefixRange,
} from '../journal/keys.ts';
import type { WriteBatch } from '../journal/write-batch.ts';

/**
 * Where the assisted services keep their records in the journal:
 *
 *   c:guide            Guide                  the applied service guide
 *   a:n                { request, appointment } last numbers handed out, per business date
 *   a:r:<id>           AssistRequest          latest snapshot of a request (personal data in full)
 *   a:b:<id>           Appointment            an appointment
 *
 * Every change is one atomic batch with an `assist` event carrying the record with its personal
 * fields masked: the event log (append-only, relayed to HQ) never holds a full ID or phone number,
 * so erasing a snapshot after the retention period erases the data.
 *
 * Every read parses the stored value with its record's schema: a value that does not match is a
 * CorruptRecordError naming its key, never returned and never skipped.
 */
export const GUIDE_KEY = configKey('guide');

/** Last numbers handed out on business date `date` (yyyymmdd, Asia/Shanghai). */
export const assistCountersSchema = z.object({
  date: z.string().regex(/^\d{8}$/),
  request: z.int().min(0),
  appointment: z.int().min(0),
});
export type AssistCounters = z.infer<typeof assistCountersSchema>;

export class AssistStore {
  constructor(readonly journal: Journal) {}

  guide(): Promise<Guide | undefined> {
    return this.read(GUIDE_KEY, guideSchema);
  }

  counters(): Promise<AssistCounters | undefined> {
    return this.read(ASSIST_COUNTERS_KEY, assistCountersSchema);
  }

  request(id: string): Promise<AssistRequest | undefined> {
    return this.read(assistRequestKey(id), assistRequestSchema);
  }

  appointment(id: string): Promise<Appointment | undefined> {
    return this.read(appointmentKey(id), appointmentSchema);
  }

  requests(): Promise<AssistRequest[]> {
    return this.scan(assistRequestKey(''), assistRequestSchema);
  }

  appointments(): Promise<Appointment[]> {
    return this.scan(appointmentKey(''), appointmentSchema);
  }

  private async read<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S> | undefined> {
    const value = await this.journal.raw.get(key);
    return value === undefined ? undefined : decodeParsed(key, value, schema);
  }

  private async scan<S extends z.ZodType>(prefix: string, schema: S): Promise<Array<z.output<S>>> {
    const out: Array<z.output<S>> = [];
    for await (const [key, value] of this.journal.raw.iterator(prefixRange(prefix)))
      out.push(decodeParsed(key, value, schema));
    return out;
  }

  /** Writes a request snapshot with its masked event. */
  static putRequest(b: WriteBatch, r: AssistRequest, change: string): void {
    b.put(assistRequestKey(r.id), r);
    b.event({ type: 'assist', info: { kind: 'request', change, request: maskRequest(r) } });
  }

  static putAppointment(b: WriteBatch, a: Appointment, change: string): void {
    b.put(appointmentKey(a.id), a);
    b.event({
      type: 'assist',
      info: { kind: 'appointment', change, appointment: { ...a, citizen: maskCitizen(a.citizen) } },
    });
  }
}
