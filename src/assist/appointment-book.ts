import { z } from 'zod';
import {
  type Appointment,
  bookableDates,
  closeAppointment,
  hoursOfDay,
  type SlotView,
  slotsOn,
} from '../core/assist/appointments.ts';
import { maskCitizen } from '../core/assist/privacy.ts';
import { toLocal } from '../core/business-day.ts';
import type { Clock } from '../core/clock.ts';
import { KioskError, KioskValidationError } from '../core/errors.ts';
import type { Journal } from '../journal/journal.ts';
import { ASSIST_COUNTERS_KEY, clientKeyKey } from '../journal/keys.ts';
import type { Logger } from '../platform/logger.ts';
import type { AssistActor, AssistDesk } from './assist-desk.ts';
import { appointmentSlip, type SlipStation } from './assist-slips.ts';
import { AssistStore } from './assist-store.ts';

export const bookInputSchema = z.strictObject({
  matter: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a matter id from the guide'),
  date: z.string().regex(/^\d{8}$/, 'must be yyyymmdd'),
  from: z.string().regex(/^\d{2}:\d{2}$/, 'must be HH:MM, the start of a slot'),
  phone: z.string().regex(/^(1\d{10}|0\d{9,11})$/, 'must be a mobile (11 digits) or landline with area code'),
  name: z.string().trim().min(1).max(20).nullable().default(null),
});

/**
 * Appointments (预约办理) for the matters the guide handles by appointment: slots and their
 * capacity come from the guide HQ pushed; a booking is journaled (with its idempotency key) before
 * the slip is printed, and a full or past slot is refused.
 */
export class AppointmentBook {
  constructor(
    private readonly desk: AssistDesk,
    private readonly deps: { journal: Journal; clock: Clock; logger: Logger; station: () => SlipStation },
  ) {}

  private today(): string {
    return toLocal(this.deps.clock.now()).date;
  }

  /** The dates and slots a citizen can book for a matter now. */
  async options(matterId: string): Promise<Array<{ date: string; slots: SlotView[] }>> {
    const m = this.desk.matter(matterId);
    if (m.mode !== 'appointment' || !m.appointment)
      throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
        field: 'matter',
        zh: '该事项无需预约',
        en: 'this matter is not handled by appointment',
      });
    const booked = await this.desk.store.appointments();
    const now = this.deps.clock.now();
    return bookableDates(m, this.today())
      .map((date) => ({ date, slots: slotsOn(m, date, booked, now) }))
      .filter((d) => d.slots.length > 0);
  }

  book(
    body: unknown,
    actor: AssistActor,
    key?: string,
  ): Promise<{ appointment: Appointment; repeated: boolean }> {
    const parsed = bookInputSchema.safeParse(body ?? {});
    if (!parsed.success)
      throw new KioskValidationError(
        'KIOSK_E_INVALID_INPUT',
        parsed.error.issues.map(
          (i) =>
            new KioskError('KIOSK_E_INVALID_INPUT', {
              field: i.path.map(String).join('.') || '(body)',
              zh: `输入有误（${i.message}）`,
              en: i.message,
            }),
        ),
      );
    const input = parsed.data;
    if (key !== undefined && !/^[\w-]{8,64}$/.test(key))
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'idempotencyKey',
        zh: '幂等键应为 8–64 位字母、数字、下划线或连字符',
        en: 'the idempotency key must be 8–64 letters, digits, _ or -',
      });
    return this.desk.serial(async () => {
      const stored = key
        ? await this.deps.journal.getJson<{ appointment: string }>(clientKeyKey(`assist:${key}`))
        : undefined;
      if (stored) {
        const first = await this.desk.store.appointment(stored.appointment);
        if (first) return { appointment: first, repeated: true };
      }
      const m = this.desk.matter(input.matter);
      const days = await this.options(m.id);
      const slot = days.find((d) => d.date === input.date)?.slots.find((s) => s.from === input.from);
      if (!slot)
        throw new KioskError('KIOSK_E_INVALID_INPUT', {
          field: 'from',
          zh: '该时段不可预约',
          en: 'no such slot to book on that date',
        });
      if (slot.left <= 0)
        throw new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
          field: 'from',
          zh: '该时段已约满',
          en: 'the slot is fully booked',
        });
      const now = this.deps.clock.now();
      const { id, counters } = this.desk.nextNumber(await this.desk.store.counters(), 'appointment');
      const a: Appointment = {
        id,
        number: id,
        matter: m.id,
        matterTitle: m.title,
        date: input.date,
        from: slot.from,
        to: slot.to,
        citizen: { name: input.name, idNumber: null, phone: input.phone },
        purgedAt: null,
        channel: actor.channel === 'operator' ? 'operator' : 'self',
        status: 'booked',
        createdAt: now,
        updatedAt: now,
      };
      await this.deps.journal.commit((b) => {
        b.put(ASSIST_COUNTERS_KEY, counters);
        if (key) b.put(clientKeyKey(`assist:${key}`), { appointment: id });
        AssistStore.putAppointment(b, a, 'booked');
      });
      this.deps.logger.info({ id, matter: m.id, date: a.date, from: a.from }, 'appointment booked');
      this.desk.emit('changed');
      this.desk.printQuietly(() => appointmentSlip(a, this.deps.station()));
      return { appointment: a, repeated: false };
    });
  }

  /**
   * Closes a booked appointment for the operator: `cancelled` (取消预约, the slot is free again) or
   * `served` (办理完毕). Journaled with the change before it is answered; a repeat is answered
   * with the record as it is and writes nothing; cancelling one already served is refused.
   */
  close(
    id: string,
    to: 'served' | 'cancelled',
    operator: string,
  ): Promise<{ appointment: Appointment; changed: boolean }> {
    return this.desk.serial(async () => {
      const cur = await this.desk.store.appointment(id);
      if (!cur)
        throw new KioskError('KIOSK_E_NOT_FOUND', {
          field: 'id',
          zh: `没有预约 ${id}`,
          en: `no appointment ${id}`,
        });
      const r = closeAppointment(cur, to, operator, this.deps.clock.now());
      if (!r.changed) return r;
      await this.deps.journal.commit((b) => AssistStore.putAppointment(b, r.appointment, to));
      this.deps.logger.info({ id, operator, to }, `appointment ${to}`);
      this.desk.emit('changed');
      return r;
    });
  }

  /** Appointments of a date, by slot. */
  async on(date: string): Promise<Appointment[]> {
    return (await this.desk.store.appointments())
      .filter((a) => a.date === date)
      .sort((x, y) => x.from.localeCompare(y.from) || x.id.localeCompare(y.id));
  }

  /** The day's appointment hours over every matter (the screen and the LED show them). */
  hoursToday(): Array<{ from: string; to: string }> {
    return hoursOfDay(this.desk.guide, this.today());
  }

  /** Erases the personal data of appointments whose day is over by the retention period. */
  async purge(now: number, retentionDays: number): Promise<number> {
    let n = 0;
    const today = toLocal(now).date;
    for (const a of await this.desk.store.appointments()) {
      if (a.purgedAt !== null || a.date >= today) continue;
      if (now - a.updatedAt < retentionDays * 86_400_000) continue;
      const next: Appointment = { ...a, citizen: { name: null, idNumber: null, phone: null }, purgedAt: now };
      await this.deps.journal.commit((b) => AssistStore.putAppointment(b, next, 'purged'));
      n++;
    }
    return n;
  }

  /** A masked copy for anyone but the operator. */
  static masked(a: Appointment): Appointment {
    return { ...a, citizen: maskCitizen(a.citizen) };
  }
}
