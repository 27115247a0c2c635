import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AssistCounters, AssistStore, GUIDE_KEY } from '../../../src/assist/assist-store.ts';
import type { Appointment } from '../../../src/core/assist/appointments.ts';
import { guideSchema } from '../../../src/core/assist/guide.ts';
import type { AssistRequest } from '../../../src/core/assist/request.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { CorruptRecordError, encodeValue } from '../../../src/journal/codec.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { ASSIST_COUNTERS_KEY, appointmentKey, assistRequestKey } from '../../../src/journal/keys.ts';
import { readDemoGuide } from '../../../src/reference-hq/demo-guide.ts';
import { ASSIST_T0, sampleRequest } from '../../support/assist-fixtures.ts';
import { tempDir } from '../../support/kiosk-harness.ts';

const T0 = ASSIST_T0;

const REQUEST: AssistRequest = sampleRequest();

const APPOINTMENT: Appointment = {
  id: 'A202612010001',
  number: 'A202612010001',
  matter: 'marriage',
  matterTitle: { zh: '婚姻登记预约', en: 'Marriage registration' },
  date: '20261203',
  from: '09:00',
  to: '10:00',
  citizen: { name: '李四', idNumber: null, phone: '13912345678' },
  purgedAt: null,
  channel: 'self',
  status: 'booked',
  createdAt: T0,
  updatedAt: T0,
};

const COUNTERS: AssistCounters = { date: '20261201', request: 3, appointment: 1 };

/** Expects `read` to be refused as a corrupt record naming `key`. */
async function refused(read: Promise<unknown>, key: string): Promise<void> {
  const e = await read.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CorruptRecordError);
  expect((e as CorruptRecordError).key).toBe(key);
  expect((e as CorruptRecordError).message).toContain(key);
}

describe('assist records are parsed with their schemas when read', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let journal: Journal;
  let store: AssistStore;
  beforeEach(async () => {
    dir = await tempDir();
    journal = new Journal({ path: dir.path, stationId: '33010001', clock: systemClock });
    await journal.open();
    store = new AssistStore(journal);
  });
  afterEach(async () => {
    await journal.close();
    await dir.cleanup();
  });

  /** Writes a wrongly shaped but well-encoded value (valid checksum and JSON) under `key`. */
  const plant = (key: string, body: unknown) => journal.raw.put(key, encodeValue(body));

  it('reads a request back as written and refuses a wrongly shaped one, alone or in the scan', async () => {
    await journal.commit((b) => AssistStore.putRequest(b, REQUEST, 'registered'));
    expect(await store.request(REQUEST.id)).toEqual(REQUEST);
    expect(await store.requests()).toEqual([REQUEST]);

    const bad = assistRequestKey('R202612010002');
    await plant(bad, { ...REQUEST, id: 'R202612010002', state: 'lost', citizen: undefined });
    await refused(store.request('R202612010002'), bad);
    await refused(store.requests(), bad);
    expect(await store.request(REQUEST.id)).toEqual(REQUEST);
  });

  it('reads an appointment back as written and refuses a wrongly shaped one, alone or in the scan', async () => {
    await journal.commit((b) => AssistStore.putAppointment(b, APPOINTMENT, 'booked'));
    expect(await store.appointment(APPOINTMENT.id)).toEqual(APPOINTMENT);
    expect(await store.appointments()).toEqual([APPOINTMENT]);

    const bad = appointmentKey('A202612010002');
    await plant(bad, { ...APPOINTMENT, id: 'A202612010002', status: 'maybe', date: 20261203 });
    await refused(store.appointment('A202612010002'), bad);
    await refused(store.appointments(), bad);
    expect(await store.appointment(APPOINTMENT.id)).toEqual(APPOINTMENT);
  });

  it('reads the guide back as applied and refuses a wrongly shaped one', async () => {
    const guide = guideSchema.parse(await readDemoGuide());
    await journal.commit((b) => b.put(GUIDE_KEY, guide));
    expect(await store.guide()).toEqual(guide);

    await plant(GUIDE_KEY, { ...guide, matters: [] });
    await refused(store.guide(), GUIDE_KEY);
    await plant(GUIDE_KEY, [guide]);
    await refused(store.guide(), GUIDE_KEY);
  });

  it('reads the counters back as written and refuses wrongly shaped ones', async () => {
    expect(await store.counters()).toBeUndefined();
    await journal.commit((b) => b.put(ASSIST_COUNTERS_KEY, COUNTERS));
    expect(await store.counters()).toEqual(COUNTERS);

    await plant(ASSIST_COUNTERS_KEY, { ...COUNTERS, request: '4' });
    await refused(store.counters(), ASSIST_COUNTERS_KEY);
    await plant(ASSIST_COUNTERS_KEY, { date: '2026-12-01', request: 1, appointment: 1.5 });
    await refused(store.counters(), ASSIST_COUNTERS_KEY);
  });
});
