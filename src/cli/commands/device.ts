import type { Command } from 'commander';
import type { DeviceView, TestPageResult } from '../../app/device-desk.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson, printTable } from '../output.ts';
import { type ApiOptions, apiOptions, withApi } from './api-command.ts';

const row = (d: DeviceView) => [
  d.name,
  d.title.zh,
  d.driver,
  d.state,
  d.reason ? `${d.reason.zh} / ${d.reason.en}` : '',
  Object.entries(d.detail)
    .map(([k, v]) => `${k}=${v ?? '—'}`)
    .join(' '),
  d.actions.map((a) => a.name).join(', '),
];
const HEADERS = [
  '设备 device',
  '名称 name',
  '驱动 driver',
  '状态 state',
  '原因 reason',
  '详情 detail',
  '操作 actions',
];

/**
 * `kiosk device list|test-page|reconnect NAME`: the running kiosk's devices and the operator's
 * actions on them, through its API (the devices belong to the running kiosk).
 */
export function registerDevice(program: Command, run: (fn: () => Promise<number>) => void): void {
  const device = program.command('device').description('设备状态与操作 / device state and actions');
  apiOptions(device.command('list').description('每台设备的状态 / each device’s state')).action(
    (opts: ApiOptions) =>
      run(() =>
        withApi(program, opts, 'operator', async (client) => {
          const r = await client.get<{ items: DeviceView[] }>('/api/devices');
          if (opts.json) printJson(r);
          else printTable(HEADERS, r.items.map(row));
          return EXIT.OK;
        }),
      ),
  );
  apiOptions(device.command('test-page').description('打印测试页 / print a printer test page')).action(
    (opts: ApiOptions) =>
      run(() =>
        withApi(program, opts, 'operator', async (client) => {
          const r = await client.post<TestPageResult>('/api/devices/printer/test-page', {});
          if (opts.json) printJson(r);
          else if (r.outcome === 'printed') process.stdout.write('测试页已打印 / test page printed\n');
          else
            process.stderr.write(
              `测试页未打印 / test page not printed: ${r.reason?.zh ?? ''} / ${r.reason?.en ?? ''}\n`,
            );
          return r.outcome === 'printed' ? EXIT.OK : EXIT.REFUSED;
        }),
      ),
  );
  apiOptions(
    device
      .command('reconnect')
      .argument('<name>', 'printer | card-reader | led')
      .description('重新连接设备 / close a device and open it again now'),
  ).action((name: string, opts: ApiOptions) =>
    run(() =>
      withApi(program, opts, 'operator', async (client) => {
        const r = await client.post<{ device: DeviceView }>(
          `/api/devices/${encodeURIComponent(name)}/reconnect`,
          {},
        );
        if (opts.json) printJson(r);
        else printTable(HEADERS, [row(r.device)]);
        return EXIT.OK;
      }),
    ),
  );
}
