import { api, newKey } from './api.js';
import { bi, dl, fill, h, messageBox, title } from './dom.js';
import { matterScreen } from './guide-list.js';
import { entryField } from './keypad.js';

/** A phone number on the digit keypad, masked wherever the kiosk shows it afterwards. */
export const PHONE_FIELD = {
  name: 'phone',
  zh: '联系电话',
  en: 'Phone number',
  required: true,
  sensitive: /** @type {const} */ ('phone'),
  entry: { keypad: /** @type {const} */ ('digits'), maxLength: 12 },
};

/** yyyymmdd as 12月1日 / Dec 1. */
export function dayLabel(/** @type {string} */ d) {
  const m = Number(d.slice(4, 6));
  const day = Number(d.slice(6, 8));
  const en = new Date(Date.UTC(2000, m - 1, day)).toLocaleString('en', { month: 'short', timeZone: 'UTC' });
  return bi(`${m}月${day}日`, `${en} ${day}`);
}

/**
 * Booking a slot of a matter handled by appointment (预约办理): the days and slots come from the
 * guide HQ published, with what is left of each; then the phone number; the slip is printed.
 * @param {import('./guide-list.js').MatterView} m
 * @returns {import('./shell.js').Screen}
 */
export function bookScreen(m) {
  return (view) => {
    view.step(null);
    const box = messageBox();
    const days = h('div', { class: 'slots' }, h('p', {}, bi('正在加载…', 'Loading…')));
    fill(view.main, title(`预约：${m.title.zh}`, `Book: ${m.title.en}`), box, days);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(matterScreen(m)) }, home: true });
    let live = true;
    api('GET', `/api/guide/${encodeURIComponent(m.id)}/slots`).then(
      (
        /** @type {{ days: Array<{ date: string, slots: Array<{ from: string, to: string, left: number }> }> }} */ r,
      ) => {
        if (!live) return;
        fill(
          days,
          r.days.length === 0 ? h('p', {}, bi('近期没有可预约的时段', 'No slots to book soon')) : null,
          ...r.days.map((d) =>
            h(
              'section',
              { class: 'slot-day' },
              h('h2', {}, dayLabel(d.date)),
              h(
                'div',
                { class: 'chips' },
                ...d.slots.map((s) =>
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'chip slot',
                      'data-slot': `${d.date} ${s.from}`,
                      disabled: s.left <= 0,
                      onclick: () => view.nav.go(phoneScreen(m, d.date, s)),
                    },
                    bi(`${s.from}-${s.to} 余${s.left}`, `${s.from}-${s.to}, ${s.left} left`),
                  ),
                ),
              ),
            ),
          ),
        );
      },
      (/** @type {import('./api.js').ApiError} */ e) => {
        if (!live) return;
        fill(days);
        fill(box, h('p', { class: 'error' }, bi(e.zh, e.en)));
      },
    );
    return () => {
      live = false;
    };
  };
}

/**
 * @param {import('./guide-list.js').MatterView} m
 * @param {string} date
 * @param {{ from: string, to: string }} slot
 * @returns {import('./shell.js').Screen}
 */
function phoneScreen(m, date, slot) {
  return (view) => {
    let value = '';
    const key = newKey();
    const box = messageBox();
    const field = entryField(PHONE_FIELD, {
      value,
      onChange: (v) => {
        value = v;
        if (primary) primary.disabled = v.length < 7;
      },
    });
    fill(
      view.main,
      title('预约联系电话', 'Your phone number'),
      box,
      h('p', {}, dayLabel(date), ` ${slot.from}-${slot.to}`),
      field.el,
    );
    const { primary } = view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(bookScreen(m)) },
      home: true,
      primary: {
        zh: '确认预约',
        en: 'Book it',
        disabled: true,
        run: async () => {
          fill(box);
          try {
            const a = await api(
              'POST',
              '/api/appointments',
              { matter: m.id, date, from: slot.from, phone: value },
              { key },
            );
            view.nav.go(bookedScreen(a));
          } catch (e) {
            const err = /** @type {import('./api.js').ApiError} */ (e);
            field.showErrors(err.issues.map((i) => ({ zh: i.zh, en: i.en })));
          }
        },
      },
    });
  };
}

/**
 * @param {{ id: string, date: string, from: string, to: string, matterTitle: { zh: string, en: string },
 *   citizen: { phone: string | null } }} a
 * @returns {import('./shell.js').Screen}
 */
function bookedScreen(a) {
  return (view) => {
    view.idle('reset');
    fill(
      view.main,
      title('预约成功', 'Booked'),
      dl([
        [{ zh: '预约编号', en: 'Number' }, a.id, 'number'],
        [{ zh: '事项', en: 'Matter' }, bi(a.matterTitle.zh, a.matterTitle.en), 'matter'],
        [{ zh: '日期', en: 'Date' }, dayLabel(a.date), 'date'],
        [{ zh: '时段', en: 'Slot' }, `${a.from}-${a.to}`, 'slot'],
        [{ zh: '联系电话', en: 'Phone' }, a.citizen.phone ?? '', 'phone'],
      ]),
      h(
        'p',
        { class: 'ok' },
        bi('预约凭条已打印，请按时到亭办理', 'Your slip is printed; please come in your slot'),
      ),
    );
    view.bar({ primary: { zh: '完成', en: 'Done', id: 'act-done', run: () => view.nav.home() } });
  };
}
