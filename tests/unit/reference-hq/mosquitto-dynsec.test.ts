import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addStationCommands,
  addStationToFile,
  DYNSEC_ADMIN,
  kioskDynsecConfig,
} from '../../../src/reference-hq/mosquitto-dynsec.ts';

describe('kiosk rules for the dynamic-security plugin', () => {
  it('denies everything by default and gives each station only its own tree', () => {
    const c = kioskDynsecConfig(['33010001']);
    expect(c.defaultACLAccess).toEqual({
      publishClientSend: false,
      publishClientReceive: false,
      subscribe: false,
      unsubscribe: true,
    });
    expect(c.clients).toEqual([
      { username: DYNSEC_ADMIN, roles: [{ rolename: 'dynsec-admin' }] },
      { username: '33010001', roles: [{ rolename: 'station-33010001' }] },
    ]);
    // The administrator: the control topic and its answers, nothing of any station.
    expect(c.roles[0]?.acls.map((a) => a.topic)).toEqual([
      '$CONTROL/dynamic-security/v1',
      '$CONTROL/dynamic-security/v1/response',
      '$CONTROL/dynamic-security/v1/response',
    ]);
    expect(c.roles[1]?.acls.map((a) => [a.acltype, a.topic, a.allow])).toEqual([
      ['publishClientSend', 'kiosk/v1/33010001/up/#', true],
      ['publishClientReceive', 'kiosk/v1/33010001/down/#', true],
      ['subscribePattern', 'kiosk/v1/33010001/down/#', true],
    ]);
    expect(JSON.stringify(c)).not.toContain('$share');
    // The runtime commands add the same role and client as the file.
    const [role, client] = addStationCommands('33010001');
    expect(role).toMatchObject({
      command: 'createRole',
      rolename: 'station-33010001',
      acls: c.roles[1]?.acls,
    });
    expect(client).toMatchObject({ command: 'createClient', username: '33010001' });
    expect(() => addStationCommands('evil/#')).toThrow(/8 digits/);
  });

  it('adds a station to the file once, creating it readable by its owner only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dynsec-'));
    const file = join(dir, 'dynamic-security.json');
    try {
      await addStationToFile(file, '33010001');
      await addStationToFile(file, '33010002');
      await addStationToFile(file, '33010001');
      const c = JSON.parse(await readFile(file, 'utf8'));
      expect(c.clients.map((x: { username: string }) => x.username)).toEqual([
        DYNSEC_ADMIN,
        '33010001',
        '33010002',
      ]);
      expect(c.roles).toHaveLength(3);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      await expect(addStationToFile(file, 'evil/#')).rejects.toThrow(/8 digits/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
