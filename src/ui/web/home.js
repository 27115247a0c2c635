import { api } from './api.js';
import { bi, biOf, fill, h, messageBox, title } from './dom.js';
import { customerReason } from './problems.js';

/**
 * @typedef {import('./flow.js').ServiceView} ServiceView
 * @typedef {import('./flow.js').Mode} Mode
 */

/**
 * Why a service cannot be used now, as the kiosk reports it for customers; null when it can.
 * @param {ServiceView} s
 * @returns {{ zh: string, en: string } | null}
 */
export function unavailableReason(s) {
  const a = s.availability;
  if (a && a.available === false) return a.reason ?? { zh: '暂停办理', en: 'unavailable now' };
  if (s.available === false) return { zh: '暂停办理', en: 'unavailable now' };
  return null;
}

/**
 * Tiles of services; a service that cannot be used now says so on its tile, with the reason.
 * @param {import('./shell.js').View} view
 * @param {ServiceView[]} services
 * @param {Mode} mode
 */
export function serviceTiles(view, services, mode) {
  return h(
    'div',
    { class: `services n${Math.min(services.length, 12)}` },
    services.length === 0 ? h('p', {}, bi('暂无可办理的业务', 'No service available now')) : null,
    ...services.map((s) => {
      const why = unavailableReason(s);
      return h(
        'button',
        {
          type: 'button',
          class: `tile${why ? ' off' : ''}`,
          'data-service': s.id,
          'aria-disabled': why ? 'true' : undefined,
          onclick: () => {
            if (!why) void import('./flow.js').then((m) => view.nav.go(m.startFlow(s, mode)));
          },
        },
        bi(s.title.zh, s.title.en, 'tile-name'),
        why
          ? h(
              'span',
              { class: 'tile-why' },
              bi('暂停办理', 'Unavailable now'),
              h('span', { class: 'why' }, biOf(why)),
            )
          : null,
      );
    }),
  );
}

/**
 * The screens after home are loaded once home is drawn (the first screen needs none of them), so
 * the first tap finds them ready.
 */
function warmUp() {
  const load = () => {
    void import('./flow.js');
    void import('./lookup.js');
  };
  if ('requestIdleCallback' in window) window.requestIdleCallback(load, { timeout: 2000 });
  else setTimeout(load, 200);
}

/**
 * Home: the services a customer may use alone (self-service allowed and enabled here), and the
 * look-up of an earlier payment.
 * @returns {import('./shell.js').Screen}
 */
export function homeScreen() {
  return (view) => {
    view.step(0);
    view.idle('off');
    const grid = h('div', { class: 'services' }, h('p', {}, bi('正在加载…', 'Loading…')));
    const box = messageBox();
    fill(view.main, title('请选择服务', 'Choose a service'), box, grid);
    view.bar({
      extra: [
        {
          zh: '查询我的缴费',
          en: 'Look up my payment',
          id: 'act-lookup',
          run: () => import('./lookup.js').then((m) => view.nav.go(m.lookupScreen())),
        },
        {
          zh: '办事指南',
          en: 'Service guide',
          id: 'act-guide',
          run: () => import('./guide-list.js').then((m) => view.nav.go(m.guideListScreen())),
        },
      ],
    });
    let live = true;
    api('GET', '/api/services').then(
      (/** @type {{ services: ServiceView[], tenders?: Array<'counter' | 'qr'> }} */ r) => {
        if (!live) return;
        grid.replaceWith(
          serviceTiles(
            view,
            r.services.filter((s) => s.selfService && s.enabled),
            { operator: false, tenders: r.tenders ?? ['counter'] },
          ),
        );
        warmUp();
      },
      (/** @type {import('./api.js').ApiError} */ e) => {
        if (!live) return;
        fill(grid);
        fill(
          box,
          h('p', { class: 'error' }, bi('此业务现在暂停办理', 'Services are unavailable now')),
          h('p', {}, biOf(customerReason(e))),
        );
      },
    );
    return () => {
      live = false;
    };
  };
}
