import type { Appointment } from '../core/assist/appointments.ts';
import type { Guide } from '../core/assist/guide.ts';
import { maskCitizen, maskRequest } from '../core/assist/privacy.ts';
import type { AssistRequest } from '../core/assist/request.ts';
import { decodeValue } from '../journal/codec.ts';
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
 */
export const GUIDE_KEY = configKey('guide');

export interface AssistCounters {
  date: string;
  request: number;
  appointment: number;
}

export class AssistStore {
  constructor(readonly journal: Journal) {}

  guide(): Promise<Guide | undefined> {
    return this.journal.getJson<Guide>(GUIDE_KEY);
  }

  counters(): Promise<AssistCounters | undefined> {
    return this.journal.getJson<AssistCounters>(ASSIST_COUNTERS_KEY);
  }

  request(id: string): Promise<AssistRequest | undefined> {
    return this.journal.getJson<AssistRequest>(assistRequestKey(id));
  }

  appointment(id: string): Promise<Appointment | undefined> {
    return this.journal.getJson<Appointment>(appointmentKey(id));
  }

  async requests(): Promise<AssistRequest[]> {
    return this.scan<AssistRequest>(assistRequestKey(''));
  }

  async appointments(): Promise<Appointment[]> {
    return this.scan<Appointment>(appointmentKey(''));
  }

  private async scan<T>(prefix: string): Promise<T[]> {
    const out: T[] = [];
    for await (const [key, value] of this.journal.raw.iterator(prefixRange(prefix)))
      out.push(decodeValue<T>(key, value));
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
