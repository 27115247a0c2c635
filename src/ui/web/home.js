import { api } from './api.js';
import { bi, biOf, fill, h, messageBox, title } from './dom.js';
import { customerReason } from './problems.js';

/**
 * @typedef {import('./flow.js').ServiceView} ServiceView
 * @typedef {import('./flow.js').Mode} Mode
 * @typedef {{ id: string, title: { zh: string, en: string }, enabled: boolean, selfService: boolean,
 *   available?: boolean, availability?: { available: boolean, reason?: { zh: string, en: string } | null } }} Tile
 *   what the first screen knows of a service; its fields and flow come when its tile is tapped
 */

/**
 * Why a service cannot be used now, as the kiosk reports it for customers; null when it can.
 * @param {Tile} s
 * @returns {{ zh: string, en: string } | null}
 */
export function unavailableReason(s) {
  const a = s.availability;
  if (a && a.available === false) return a.reason ?? { zh: '暂停办理', en: 'unavailable now' };
  if (s.available === false) return { zh: '暂停办理', en: 'unavailable now' };
  return null;
}

/**
 * Tiles of services; a service that cannot be used now says so on its tile, with the reason. A
 * tile's service is fetched in full when it is tapped, unless it came in full.
 * @param {import('./shell.js').View} view
 * @param {Array<Tile | ServiceView>} services
 * @param {Mode} mode
 * @param {(e: import('./api.js').ApiError) => void} [onError] the tapped service could not be fetched
 */
export function serviceTiles(view, services, mode, onError) {
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
          onclick: (/** @type {Event} */ ev) => {
            const tile = /** @type {HTMLElement} */ (ev.currentTarget);
            if (why || tile.getAttribute('aria-busy') === 'true') return;
            tile.setAttribute('aria-busy', 'true');
            const full =
              'fields' in s ? Promise.resolve(s) : api('GET', `/api/services/${encodeURIComponent(s.id)}`);
            Promise.all([import('./flow.js'), full]).then(
              ([m, def]) => view.nav.go(m.startFlow(/** @type {ServiceView} */ (def), mode)),
              (e) => {
                tile.removeAttribute('aria-busy');
                onError?.(e);
              },
            );
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
    const failed = (/** @type {import('./api.js').ApiError} */ e) => {
      if (!live) return;
      fill(
        box,
        h('p', { class: 'error' }, bi('此业务现在暂停办理', 'Services are unavailable now')),
        h('p', {}, biOf(customerReason(e))),
      );
    };
    api('GET', '/api/service-tiles').then(
      (/** @type {{ services: Tile[], tenders?: Array<'counter' | 'qr'> }} */ r) => {
        if (!live) return;
        grid.replaceWith(
          serviceTiles(
            view,
            r.services.filter((s) => s.selfService && s.enabled),
            { operator: false, tenders: r.tenders ?? ['counter'] },
            failed,
          ),
        );
        warmUp();
      },
      (/** @type {import('./api.js').ApiError} */ e) => {
        fill(grid);
        failed(e);
      },
    );
    return () => {
      live = false;
    };
  };
}
