import { api } from './api.js';
import { devicesPart } from './console-devices.js';
import { loadInto } from './console-kit.js';
import { bi, biOf, button, dl, fill, h, messageBox, title } from './dom.js';

/**
 * Devices and the HQ link as the kiosk reports them, each with what the operator can do about it
 * (a printer test page, reconnecting the printer, the card reader or the LED sign).
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
      const [health, terminal, devices] = await Promise.all([
        api('GET', '/api/health'),
        api('GET', '/api/credit-card/terminal').catch(() => null),
        devicesPart().catch((/** @type {import('./api.js').ApiError} */ e) =>
          h('p', { class: 'error' }, bi(e.zh, e.en)),
        ),
      ]);
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
      const part = terminal ? terminalPart(terminal, () => view.nav.go(statusScreen(_shell))) : null;
      // A terminal waiting for today's sign-in comes first: it is the one thing to do here.
      const first = terminal?.status === 'enabled' && !terminal.signedIn;
      return [
        first ? part : null,
        dl(rows, 'quote compact'),
        devices,
        first ? null : part,
        ...(health.problems ?? []).map((/** @type {any} */ p) =>
          h('p', { class: 'error' }, p.zh ? biOf(p) : String(p.key ?? p)),
        ),
      ];
    });
  };
}

/**
 * The credit-card repayment terminal (信用卡还款终端): its binding, today's sign-in (签到), and the
 * sign-in button while it is not signed in; repayment is offered only after it.
 * @param {{ terminalNo: string | null, status: string, reason: string | null, date: string, signedIn: boolean }} t
 * @param {() => void} redraw
 */
function terminalPart(t, redraw) {
  const box = messageBox();
  const state =
    t.status === 'unbound'
      ? bi('未绑定终端：信用卡还款不可用', 'no terminal bound: repayment not offered')
      : t.status === 'disabled'
        ? bi(
            `终端已停用${t.reason ? `：${t.reason}` : ''}`,
            `terminal disabled${t.reason ? `: ${t.reason}` : ''}`,
          )
        : t.signedIn
          ? bi(
              `终端 ${t.terminalNo} 今日（${t.date}）已签到`,
              `terminal ${t.terminalNo} signed in for ${t.date}`,
            )
          : bi(
              `终端 ${t.terminalNo} 今日未签到：签到后才能办理还款`,
              `terminal ${t.terminalNo} not signed in today`,
            );
  return h(
    'section',
    { class: 'card-terminal', 'data-k': 'card-terminal' },
    h('h2', {}, bi('信用卡还款终端', 'Repayment terminal')),
    h('p', { 'data-k': 'terminal-state' }, state),
    box,
    t.status === 'enabled' && !t.signedIn
      ? button(
          '签到',
          'Sign in',
          async () => {
            try {
              await api('POST', '/api/credit-card/sign-in', {});
              redraw();
            } catch (e) {
              const err = /** @type {import('./api.js').ApiError} */ (e);
              fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
            }
          },
          '',
          { id: 'act-sign-in' },
        )
      : null,
  );
}
