import { api } from './api.js';
import { dailyScreen } from './console-daily.js';
import { loadInto } from './console-kit.js';
import { bi, fill, h, title } from './dom.js';

/**
 * The station's tellers, one button each: a supervisor opens that teller's daily report of today.
 * @param {() => import('./shell.js').Screen} back
 * @returns {import('./shell.js').Screen}
 */
export function tellersScreen(back) {
  return (view) => {
    const body = h('div', { class: 'services console-menu' });
    fill(view.main, title('柜员报表', "A teller's report"), body);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(back()) } });
    void loadInto(body, async () => {
      const r = await api('GET', '/api/operators');
      return r.items
        .filter((/** @type {any} */ o) => o.role === 'teller')
        .map((/** @type {any} */ o) =>
          h(
            'button',
            {
              type: 'button',
              class: 'tile',
              'data-teller': o.code,
              onclick: () => view.nav.go(dailyScreen({ operator: o.code }, back)),
            },
            bi(`${o.name}（${o.code}）`, o.code),
          ),
        );
    });
  };
}
