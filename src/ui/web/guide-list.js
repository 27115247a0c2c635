import { api } from './api.js';
import { bi, biOf, dl, fill, h, messageBox, title } from './dom.js';
import { bookScreen } from './guide-book.js';
import { registerScreen } from './guide-register.js';

/**
 * The published service guide (办事指南) on the touchscreen, for anyone: the matters the station
 * takes on, each with its content, procedure, materials, promised time limit, fee and handling
 * mode, printable; matters by appointment lead to booking, simple ones to self-service registration.
 *
 * @typedef {{ zh: string, en: string }} Bi
 * @typedef {{ id: string, kind: string, title: Bi, content: Bi, procedure: Bi[], materials: Bi[],
 *   timeLimitDays: number, fee: string, mode: string, modeLabel: Bi, inPerson: boolean,
 *   selfService: boolean, appointment: unknown }} MatterView
 */

/** @param {MatterView} m */
export const limitOf = (m) =>
  m.timeLimitDays === 0
    ? { zh: '当场办结', en: 'Done on the spot' }
    : { zh: `${m.timeLimitDays} 天内办结`, en: `Within ${m.timeLimitDays} days` };

/** @param {Array<{ from: string, to: string }>} hours */
export function hoursLine(hours) {
  if (hours.length === 0) return null;
  const t = hours.map((x) => `${x.from}-${x.to}`).join('  ');
  return h(
    'p',
    { class: 'guide-hours', 'data-k': 'hours' },
    bi(`今日预约办理时段 ${t}`, `Appointment hours today ${t}`),
  );
}

/** @returns {import('./shell.js').Screen} */
export function guideListScreen() {
  return (view) => {
    view.step(null);
    const box = messageBox();
    const grid = h('div', { class: 'services' }, h('p', {}, bi('正在加载…', 'Loading…')));
    const hours = h('div');
    fill(view.main, title('办事指南', 'Service guide'), hours, box, grid);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.home() } });
    let live = true;
    api('GET', '/api/guide').then(
      (/** @type {{ matters: MatterView[], hoursToday: Array<{ from: string, to: string }> }} */ g) => {
        if (!live) return;
        fill(hours, hoursLine(g.hoursToday));
        grid.replaceWith(
          h(
            'div',
            { class: `services n${Math.min(g.matters.length, 12)}` },
            g.matters.length === 0
              ? h('p', {}, bi('总部尚未发布办事指南', 'No service guide published yet'))
              : null,
            ...g.matters.map((m) =>
              h(
                'button',
                {
                  type: 'button',
                  class: 'tile',
                  'data-matter': m.id,
                  onclick: () => view.nav.go(matterScreen(m)),
                },
                bi(m.title.zh, m.title.en, 'tile-name'),
                h('span', { class: 'tile-why' }, biOf(m.modeLabel)),
              ),
            ),
          ),
        );
      },
      (/** @type {import('./api.js').ApiError} */ e) => {
        if (!live) return;
        fill(grid);
        fill(box, h('p', { class: 'error' }, bi(e.zh, e.en)));
      },
    );
    return () => {
      live = false;
    };
  };
}

/**
 * One matter in full, with printing and what the citizen can do next here.
 * @param {MatterView} m
 * @returns {import('./shell.js').Screen}
 */
export function matterScreen(m) {
  return (view) => {
    view.step(null);
    const box = messageBox();
    fill(
      view.main,
      title(m.title.zh, m.title.en),
      box,
      dl([
        [{ zh: '服务内容', en: 'What it is' }, biOf(m.content), 'content'],
        [{ zh: '办理方式', en: 'Handling' }, biOf(m.modeLabel), 'mode'],
        [{ zh: '承诺时限', en: 'Time limit' }, biOf(limitOf(m)), 'limit'],
        [
          { zh: '收费标准', en: 'Fee' },
          m.fee === '0.00' ? bi('免费', 'Free') : bi(`${m.fee} 元`, `${m.fee} yuan`),
          'fee',
        ],
        [
          { zh: '本人到场', en: 'In person' },
          m.inPerson
            ? bi('须本人到场办理', 'You must come in person')
            : bi('可委托代办', 'Can be done for you'),
          'in-person',
        ],
      ]),
      h('h2', {}, bi('申报材料', 'Materials')),
      m.materials.length === 0
        ? h('p', { 'data-k': 'materials' }, bi('无需材料', 'None needed'))
        : h(
            'ul',
            { class: 'guide-list', 'data-k': 'materials' },
            ...m.materials.map((x) => h('li', {}, biOf(x))),
          ),
      h('h2', {}, bi('办事程序', 'Procedure')),
      h(
        'ol',
        { class: 'guide-list', 'data-k': 'procedure' },
        ...m.procedure.map((x) => h('li', {}, biOf(x))),
      ),
    );
    const print = async () => {
      fill(box);
      try {
        await api('POST', `/api/guide/${encodeURIComponent(m.id)}/print`);
        fill(
          box,
          h(
            'p',
            { class: 'ok', 'data-k': 'printed' },
            bi('已打印，请取走凭条', 'Printed; please take the slip'),
          ),
        );
      } catch (e) {
        const err = /** @type {import('./api.js').ApiError} */ (e);
        fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
      }
    };
    const next =
      m.mode === 'appointment'
        ? { zh: '预约', en: 'Book', id: 'act-book', run: () => view.nav.go(bookScreen(m)) }
        : m.selfService
          ? { zh: '自助登记', en: 'Register', id: 'act-register', run: () => view.nav.go(registerScreen(m)) }
          : null;
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(guideListScreen()) },
      extra: [{ zh: '打印指南', en: 'Print', id: 'act-print', run: print }],
      primary: next,
    });
  };
}
