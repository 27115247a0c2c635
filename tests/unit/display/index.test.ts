import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AbsentDisplay } from '../../../devices/display/absent-display.ts';
import type { Display } from '../../../devices/display/display.ts';
import { createDisplay, createLedSign, loadDisplayFont, SimDisplay } from '../../../devices/display/index.ts';
import { systemClock } from '../../../src/core/clock.ts';
import { silentLogger } from '../../../src/platform/logger.ts';
import { displayTestConfig } from './support/test-config.ts';

const deps = { clock: systemClock, logger: silentLogger() };
const started: Display[] = [];

afterEach(async () => {
  for (const d of started.splice(0)) await d.stop();
});

async function start(d: Display): Promise<Display> {
  started.push(d);
  await d.start();
  return d;
}

describe('createDisplay', () => {
  it('none: an always-offline sign, not fitted', async () => {
    const d = await start(await createDisplay(displayTestConfig({ driver: 'none' }), deps));
    expect(d).toBeInstanceOf(AbsentDisplay);
    expect(d.health()).toMatchObject({
      state: 'offline',
      driver: 'none',
      reason: { code: 'DEVICE_E_ABSENT' },
    });
    await expect(d.showFrame({ width: 1, height: 1, bits: new Uint8Array(1) })).rejects.toMatchObject({
      code: 'DEVICE_E_ABSENT',
    });
  });

  it('sim: the simulator, sized from config', async () => {
    const d = await start(
      await createDisplay(displayTestConfig({ driver: 'sim', widthPx: 96, heightPx: 32 }), deps),
    );
    expect(d).toBeInstanceOf(SimDisplay);
    expect([d.width, d.height]).toEqual([96, 32]);
    expect(d.health().state).toBe('ok');
  });

  it('real serial with no such port: offline, absent, retrying', async () => {
    const d = await start(
      await createDisplay(
        displayTestConfig({ driver: 'real', transport: 'serial', serial: { path: '/nonexistent/ttyLED' } }),
        deps,
      ),
    );
    expect(d.health()).toMatchObject({
      state: 'offline',
      driver: 'serial',
      reason: { code: 'DEVICE_E_ABSENT' },
    });
  });

  it('real MAX7219 without spi-device: offline and unsupported', async () => {
    const installed = await import('spi-device' as string).then(
      () => true,
      () => false,
    );
    const d = await start(
      await createDisplay(displayTestConfig({ driver: 'real', transport: 'max7219', widthPx: 64 }), deps),
    );
    expect(d.health()).toMatchObject({ state: 'offline', driver: 'max7219' });
    expect(d.health().reason?.code).toBe(installed ? 'DEVICE_E_ABSENT' : 'DEVICE_E_UNSUPPORTED');
  });

  it('refuses a MAX7219 panel that is not made of 8×8 modules (config validation)', () => {
    expect(() => displayTestConfig({ transport: 'max7219', widthPx: 100 })).toThrow(/multiples of 8/);
  });

  it("loads serialport's native binding only when a serial sign is chosen", async () => {
    const script = `
      import { createDisplay } from './devices/display/index.ts';
      import { displayTestConfig } from './tests/unit/display/support/test-config.ts';
      import { silentLogger } from './src/platform/logger.ts';
      const deps = { clock: { now: () => Date.now() }, logger: silentLogger() };
      const native = () => process.report.getReport().sharedObjects.filter((s) => /bindings|serialport/.test(s)).length;
      const sim = await createDisplay(displayTestConfig({ driver: 'sim' }), deps);
      await sim.start(); await sim.stop();
      const afterSim = native();
      const real = await createDisplay(displayTestConfig({ driver: 'real', transport: 'serial', serial: { path: '/nonexistent/tty' } }), deps);
      await real.start(); await real.stop();
      console.log(JSON.stringify({ afterSim, afterReal: native() }));
    `;
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: root,
      },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({ afterSim: 0, afterReal: 1 });
  });
});

describe('fonts for the sign', () => {
  it('uses the system Unifont over the bundled glyphs', async () => {
    const font = await loadDisplayFont(displayTestConfig(), silentLogger());
    expect(font.glyph('鑫'.codePointAt(0) ?? 0)?.width).toBe(16);
  });

  it('falls back to the bundled glyphs when the font file is missing', async () => {
    const warnings: string[] = [];
    const logger = Object.assign(silentLogger(), { warn: (_o: unknown, msg: string) => warnings.push(msg) });
    const config = displayTestConfig({ font: { unifontHexPath: '/nonexistent/unifont.hex' } });
    const font = await loadDisplayFont(config, logger);
    expect(font.glyph('欢'.codePointAt(0) ?? 0)).toBeDefined();
    expect(font.glyph('鑫'.codePointAt(0) ?? 0)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    const sign = await createLedSign(await createDisplay(config, deps), config, { ...deps, logger });
    expect(
      sign.layoutFor({ kind: 'slogan', id: 's', text: '鑫', priority: 'idle', followUp: false }).count,
    ).toBe(1);
  });
});
