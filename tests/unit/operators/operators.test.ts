import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { Journal } from '../../../src/journal/journal.ts';
import { Operators } from '../../../src/operators/operators.ts';
import { verifyPassword } from '../../../src/operators/password.ts';
import { tempDir, testConfig } from '../../support/kiosk-harness.ts';

describe('operators', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let journal: Journal;
  let ops: Operators;
  const clock = new ManualClock(Date.parse('2026-11-26T02:00:00Z'));

  beforeEach(async () => {
    dir = await tempDir();
    const config = await testConfig();
    journal = new Journal({ path: dir.path, stationId: config.stationId, clock });
    await journal.open();
    ops = new Operators(journal, clock, () => config);
    await ops.add({ code: 'a001', name: '张三', role: 'teller', password: '123456' });
  });
  afterEach(async () => {
    await journal.close();
    await dir.cleanup();
  });

  it('stores a scrypt hash, never the password, and upper-cases the code', async () => {
    const rec = await ops.find('A001');
    expect(rec?.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(rec)).not.toContain('123456');
    expect(await verifyPassword('123456', rec!.passwordHash)).toBe(true);
    const list = await ops.list();
    expect(list).toEqual([expect.objectContaining({ code: 'A001', role: 'teller', locked: false })]);
    expect(JSON.stringify(list)).not.toContain('scrypt');
    for await (const ev of journal.events()) expect(JSON.stringify(ev)).not.toContain('scrypt');
  });

  it.each([
    [{ code: 'A1', name: 'x', role: 'teller', password: '123456' }, 'code'],
    [{ code: 'A0-1', name: 'x', role: 'teller', password: '123456' }, 'code'],
    [{ code: 'B001', name: 'x', role: 'teller', password: '12345' }, 'password'],
    [{ code: 'B001', name: 'x', role: 'teller', password: 'abcdef' }, 'password'],
    [{ code: 'B001', name: ' ', role: 'teller', password: '123456' }, 'name'],
    [{ code: 'A001', name: 'x', role: 'teller', password: '123456' }, 'code'],
  ] as const)('refuses %o naming %s', async (input, field) => {
    await expect(ops.add(input)).rejects.toMatchObject({ field });
  });

  it('locks a code for 15 minutes after 5 wrong passwords, even against the right one', async () => {
    for (let i = 1; i <= 4; i++) {
      await expect(ops.login('A001', '000000')).rejects.toMatchObject({
        code: 'KIOSK_E_AUTH_FAILED',
        details: { attemptsLeft: 5 - i },
      });
    }
    await expect(ops.login('A001', '000000')).rejects.toMatchObject({ code: 'KIOSK_E_OPERATOR_LOCKED' });
    await expect(ops.login('A001', '123456')).rejects.toMatchObject({ code: 'KIOSK_E_OPERATOR_LOCKED' });
    clock.advance(15 * 60_000 - 1);
    await expect(ops.login('A001', '123456')).rejects.toMatchObject({ code: 'KIOSK_E_OPERATOR_LOCKED' });
    clock.advance(1);
    await expect(ops.login('A001', '１２３４５６')).resolves.toMatchObject({ code: 'A001', locked: false });
  });

  it('a good login resets the count; the lockout survives a restart', async () => {
    for (let i = 0; i < 4; i++) await ops.login('A001', '000000').catch(() => undefined);
    await ops.login('A001', '123456');
    for (let i = 0; i < 4; i++) await ops.login('A001', '000000').catch(() => undefined);
    await expect(ops.login('A001', '123456')).resolves.toBeDefined();
    for (let i = 0; i < 5; i++) await ops.login('A001', '000000').catch(() => undefined);
    await journal.close();
    await journal.open();
    await expect(ops.login('A001', '123456')).rejects.toMatchObject({ code: 'KIOSK_E_OPERATOR_LOCKED' });
  });

  it('changes a password only with the current one, or by reset', async () => {
    await expect(ops.passwd('A001', '654321', { current: '000000' })).rejects.toMatchObject({
      code: 'KIOSK_E_AUTH_FAILED',
    });
    await ops.passwd('A001', '654321', { current: '123456' });
    await expect(ops.login('A001', '654321')).resolves.toBeDefined();
    await ops.passwd('a001', '111111', { reset: true });
    await expect(ops.login('A001', '111111')).resolves.toBeDefined();
    await expect(ops.passwd('ZZ99', '111111', { reset: true })).rejects.toMatchObject({
      code: 'KIOSK_E_OPERATOR_UNKNOWN',
    });
  });
});
