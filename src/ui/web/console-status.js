import { api } from './api.js';
import { loadInto } from './console-kit.js';
import { bi, biOf, dl, fill, h, title } from './dom.js';

/**
 * Devices and the HQ link as the kiosk reports them, each with what the operator can do about it.
 * @param {import('./shell.js').Shell} _shell
 * @returns {import('./shell.js').Screen}
 */
export function statusScreen(_shell) {
  return (view) => {
    const body = h('div', { class: 'status' });
    fill(view.main, title('设备与联网', 'Devices and link'), body);
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.home() },
      primary: { zh: '刷新', en: 'Refresh', run: () => view.nav.go(statusScreen(_shell)) },
    });
    void loadInto(body, async () => {
      const [health, display] = await Promise.all([
        api('GET', '/api/health'),
        api('GET', '/api/display').catch(() => null),
      ]);
      /** @type {Record<string, any>} */
      const devices = health.devices ?? {};
      const rows = /** @type {Array<[{ zh: string, en: string }, any, string?]>} */ ([
        [{ zh: '站点', en: 'Station' }, `${health.stationId} ${health.stationName ?? ''}`],
        [{ zh: '账务日期', en: 'Business date' }, health.businessDate],
        [
          { zh: '安全模式', en: 'Safe mode' },
          health.safeMode
            ? bi(
                '是：暂停办理，请联系主管核对流水',
                'on: nothing is sold; ask a supervisor to check the journal',
              )
            : bi('否', 'off'),
          'safe-mode',
        ],
        [{ zh: '未完成交易', en: 'Open transactions' }, String(health.openTransactions ?? 0)],
      ]);
      if (health.hq)
        rows.push([
          { zh: '总部连接', en: 'HQ link' },
          health.hq.online
            ? bi('在线', 'online')
            : bi('离线：自助业务暂停，交易排队等待', 'offline: self-service paused'),
          'hq',
        ]);
      for (const [name, d] of Object.entries(devices))
        rows.push([
          { zh: name, en: name },
          `${d.state}${d.reason ? ` – ${d.reason.zh ?? d.reason}` : ''}`,
          `dev-${name}`,
        ]);
      if (display) {
        rows.push([{ zh: '屏幕显示', en: 'LED sign shows' }, display.showing?.text ?? '—', 'sign']);
        rows.push([
          { zh: 'LED 屏状态', en: 'LED sign health' },
          String(display.health?.state ?? display.health ?? ''),
          'sign-health',
        ]);
      }
      return [
        dl(rows, 'quote compact'),
        ...(health.problems ?? []).map((/** @type {any} */ p) =>
          h('p', { class: 'error' }, p.zh ? biOf(p) : String(p.key ?? p)),
        ),
      ];
    });
  };
}
