import { describe, expect, it } from 'vitest';
import { availabilityOf } from '../../../src/core/availability.ts';
import { coachPlaces, coachTicket, travelDates } from '../../../src/core/services/coach-ticket.ts';
import { creditCardRepayment, repaymentRefusal } from '../../../src/core/services/credit-card.ts';
import { CHOSEN_TIME } from '../../support/chosen-time.ts';
import { testConfig } from '../../support/kiosk-harness.ts';

const at = (ms: number) => ({ now: () => ms });

describe('lists the customer’s screen chooses from', () => {
  it('travel dates run from today (the kiosk’s clock) to the end of the presale, labelled by weekday', async () => {
    const config = await testConfig({ coach: { presaleDays: 3 } });
    const dates = travelDates({ clock: at(CHOSEN_TIME), config });
    expect(dates.map((d) => d.value)).toEqual(['20261201', '20261202', '20261203', '20261204']);
    expect(dates[0]).toMatchObject({ zh: '12月1日 周二（今天）', en: 'Tue 1 Dec (today)' });
    expect(dates[3]).toMatchObject({ zh: '12月4日 周五', en: 'Fri 4 Dec' });
    // 23:30 Shanghai is still that calendar day; the list follows the calendar, not the day cut.
    const late = travelDates({ clock: at(Date.parse('2026-12-31T23:30:00+08:00')), config });
    expect(late.map((d) => d.value)).toEqual(['20261231', '20270101', '20270102', '20270103']);
  });

  it('places come from HQ’s answer (checked against its schema before; see malformed-answers)', async () => {
    const config = await testConfig({ region: { city: '安庆' } });
    expect(coachPlaces({ stations: [{ name: '杭州', initial: 'h' }, { name: '上海' }] }, { config })).toEqual(
      [
        { value: '杭州', zh: '杭州', group: 'H' },
        { value: '上海', zh: '上海' },
      ],
    );
    expect(coachPlaces({ stations: [] }, { config })).toEqual([]);
  });

  it('the station’s own city (its configured region) comes first: where a journey from it starts', async () => {
    const stations = [
      { name: '合肥', initial: 'H' },
      { name: '安庆', initial: 'A' },
      { name: '杭州', initial: 'H' },
    ];
    const anqing = await testConfig({ region: { city: '安庆' } });
    expect(coachPlaces({ stations }, { config: anqing }).map((p) => p.value)).toEqual([
      '安庆',
      '合肥',
      '杭州',
    ]);
    const hangzhou = await testConfig({ region: { province: '浙江', city: '杭州' } });
    expect(coachPlaces({ stations }, { config: hangzhou }).map((p) => p.value)).toEqual([
      '杭州',
      '合肥',
      '安庆',
    ]);
  });

  it('every choice field of the coach ticket names a list or an answer the definition has', () => {
    for (const [name, meta] of Object.entries(coachTicket.fieldMeta)) {
      if (meta.entry?.keypad !== 'choice') continue;
      if (meta.entry.list) expect(coachTicket.lists?.[meta.entry.list], name).toBeDefined();
      else expect(meta.entry.answer, name).toBe('trips');
    }
    expect(coachTicket.fieldMeta.tripId?.entry?.fills).toEqual(['price']);
  });

  it('a repayment terminal not signed in is unavailable, in the operator’s words or the customer’s', async () => {
    const config = await testConfig({ services: { enabled: ['credit-card-repayment'] } });
    const ctx = { clock: at(CHOSEN_TIME), config };
    const facts = { terminal: { terminalNo: '12345678', status: 'enabled' as const }, signIn: null };
    const err = repaymentRefusal(facts, ctx)!;
    const notReady = {
      operator: { zh: err.zh, en: err.en },
      customer: (err.details as { customer: { zh: string; en: string } }).customer,
    };
    const base = {
      config,
      now: CHOSEN_TIME,
      safeMode: null,
      hqOnline: true,
      device: null,
      availableFen: 100_00,
      notReady,
    };
    const operator = availabilityOf(creditCardRepayment, { ...base, self: false });
    expect(operator).toMatchObject({ available: false, code: 'not-ready' });
    expect(operator.reason?.zh).toContain('签到');
    const customer = availabilityOf(creditCardRepayment, {
      ...base,
      config: { ...config, selfService: { ...config.selfService, services: ['credit-card-repayment'] } },
      self: true,
    });
    expect(customer).toMatchObject({ available: false, code: 'not-ready' });
    expect(customer.reason?.zh).toBe('信用卡还款今日尚未开始办理，请稍后再试或到柜台咨询');
    expect(customer.reason?.zh).not.toMatch(/终端|签到/);
  });
});
