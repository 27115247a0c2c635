import { describe, expect, it } from 'vitest';
import { electricityBill } from '../../../src/core/services/bill-services.ts';
import { tripOf } from '../../../src/core/services/coach-ticket.ts';
import { mobileTopup } from '../../../src/core/services/mobile-topup.ts';
import { txn } from '../reports/fixtures.ts';

describe('inquiry answers a transaction keeps are read through their schemas', () => {
  it('prints the region of a number only when the kept answer names a city', () => {
    const region = (inquiry: unknown) => mobileTopup.receipt?.(txn({ data: { inquiry } })) ?? [];
    expect(region({ city: '安庆' })).toEqual([{ zh: '号码归属', en: 'Region', value: '安庆' }]);
    expect(region({ city: 42 })).toEqual([]);
    expect(region(undefined)).toEqual([]);
  });

  it('prints the arrears before payment only when the kept answer states them', () => {
    const lines = (inquiry: unknown) => electricityBill.receipt?.(txn({ data: { inquiry } })) ?? [];
    const area = { area: 'city', areaName: '安庆' };
    expect(lines({ arrears: '88.50', ...area })).toEqual([
      { zh: '缴费前欠费', en: 'Arrears before', value: '￥88.50' },
    ]);
    expect(lines({ arrears: 88.5, ...area })).toEqual([]);
  });

  it('finds a coach sale’s trip only in a timetable of the expected shape', () => {
    const trip = { tripId: '20261205-1-123', departs: '07:30', price: '98.00', seatsLeft: 30 };
    const sale = (inquiry: unknown) => txn({ fields: { tripId: trip.tripId }, data: { inquiry } });
    expect(tripOf(sale({ trips: [trip] }))).toEqual(trip);
    expect(tripOf(sale({ trips: [{ ...trip, departs: 730 }] }))).toBeUndefined();
    expect(tripOf(sale({ trips: 'none' }))).toBeUndefined();
  });
});
