import { api } from './api.js';
import { bi, button, fill, h, messageBox } from './dom.js';

/**
 * @typedef {{ code: string, zh: string, en: string }} Reason
 * @typedef {{ name: string, title: { zh: string, en: string }, driver: string, state: string,
 *   reason: Reason | null, detail: Record<string, any>, actions: Array<{ name: string, zh: string, en: string }> }} DeviceView
 */

const STATE = {
  ok: { zh: '正常', en: 'OK' },
  degraded: { zh: '需要留意', en: 'Needs attention' },
  offline: { zh: '不可用', en: 'Offline' },
};

/** What a device's details say, in words, per device. @param {DeviceView} d */
function detailText(d) {
  const x = d.detail;
  if (d.name === 'printer') {
    const paper = { ok: '纸足', low: '纸将尽', out: '缺纸', unknown: '纸况未知' }[
      /** @type {string} */ (x.paper)
    ];
    const paperEn = { ok: 'paper ok', low: 'paper low', out: 'paper out', unknown: 'paper unknown' }[
      /** @type {string} */ (x.paper)
    ];
    return bi(
      `${paper ?? x.paper}；待补打收据 ${x.needsReprint} 张`,
      `${paperEn ?? x.paper}; ${x.needsReprint} receipt(s) to reprint`,
    );
  }
  if (d.name === 'card-reader')
    return x.reader
      ? bi(
          `读卡器 ${x.reader}${x.cardPresent ? '，有卡' : '，无卡'}`,
          `reader ${x.reader}${x.cardPresent ? ', card in' : ', no card'}`,
        )
      : bi('未找到读卡器', 'no reader found');
  if (d.name === 'led') return bi(`正在显示：${x.showing ?? '—'}`, `showing: ${x.showing ?? '—'}`);
  return null;
}

/**
 * One device: its state and reason, what it reports, and a button per action it offers (打印测试页,
 * 重新连接); the answer of an action replaces the device's part.
 * @param {DeviceView} d
 * @returns {HTMLElement}
 */
export function devicePart(d) {
  const box = messageBox();
  const part = h('section', { class: `device state-${d.state}`, 'data-device': d.name });
  /** @param {DeviceView} now @param {HTMLElement | null} note */
  const redraw = (now, note) => {
    const fresh = devicePart(now);
    if (note) fresh.querySelector('.messages')?.append(note);
    part.replaceWith(fresh);
  };
  const run = (/** @type {string} */ action) => async () => {
    fill(box);
    try {
      if (action === 'test-page') {
        const r = await api('POST', '/api/devices/printer/test-page', {});
        redraw(
          r.device,
          r.outcome === 'printed'
            ? h('p', { class: 'ok', 'data-k': 'test-page' }, bi('测试页已打印', 'Test page printed'))
            : h(
                'p',
                { class: 'error', 'data-k': 'test-page' },
                bi(`测试页未打印：${r.reason?.zh ?? ''}`, `Test page not printed: ${r.reason?.en ?? ''}`),
              ),
        );
      } else {
        const r = await api('POST', `/api/devices/${encodeURIComponent(d.name)}/reconnect`, {});
        redraw(
          r.device,
          h(
            'p',
            { class: r.device.state === 'offline' ? 'error' : 'ok', 'data-k': 'reconnected' },
            bi(
              `已重新连接：${STATE[/** @type {keyof typeof STATE} */ (r.device.state)]?.zh ?? r.device.state}`,
              `Reconnected: ${STATE[/** @type {keyof typeof STATE} */ (r.device.state)]?.en ?? r.device.state}`,
            ),
          ),
        );
      }
    } catch (e) {
      const err = /** @type {import('./api.js').ApiError} */ (e);
      fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
    }
  };
  const state = STATE[/** @type {keyof typeof STATE} */ (d.state)] ?? { zh: d.state, en: d.state };
  fill(
    part,
    h('h2', {}, bi(d.title.zh, d.title.en)),
    h(
      'p',
      { 'data-k': 'state' },
      bi(
        `${state.zh}${d.reason ? `：${d.reason.zh}` : ''}`,
        `${state.en}${d.reason ? `: ${d.reason.en}` : ''}`,
      ),
    ),
    h('p', { class: 'muted', 'data-k': 'detail' }, detailText(d)),
    box,
    d.actions.length > 0
      ? h(
          'div',
          { class: 'choice-row' },
          ...d.actions.map((a) =>
            button(a.zh, a.en, run(a.name), 'secondary', {
              id: `act-${d.name}-${a.name}`,
              'data-action': a.name,
            }),
          ),
        )
      : null,
  );
  return part;
}

/** Every device the kiosk reports, each with its actions. */
export async function devicesPart() {
  const r = await api('GET', '/api/devices');
  return h('div', { class: 'devices', 'data-k': 'devices' }, ...r.items.map(devicePart));
}
