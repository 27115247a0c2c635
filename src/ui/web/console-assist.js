import { api } from './api.js';
import { bi, fill, h, messageBox, title } from './dom.js';
import { serviceTiles } from './home.js';

/**
 * Assisted transactions: every service enabled at this station, including the operator-only ones,
 * paid in cash at the counter and run under the operator's session (and limits).
 * @param {import('./shell.js').Shell} _shell
 * @returns {import('./shell.js').Screen}
 */
export function assistScreen(_shell) {
  return (view) => {
    const box = messageBox();
    const grid = h('p', {}, bi('正在加载…', 'Loading…'));
    fill(view.main, title('代办业务', 'Assisted payment'), box, grid);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.home() } });
    api('GET', '/api/services').then(
      (r) =>
        grid.replaceWith(
          serviceTiles(
            view,
            r.services.filter((/** @type {any} */ s) => s.enabled),
            { operator: true },
          ),
        ),
      (e) => fill(box, h('p', { class: 'error' }, bi(e.zh, e.en))),
    );
  };
}
