import { api, newKey } from './api.js';
import { bi, dl, fill, h, messageBox, title } from './dom.js';
import { PHONE_FIELD } from './guide-book.js';
import { limitOf, matterScreen } from './guide-list.js';
import { entryField } from './keypad.js';

/**
 * Self-service registration of a simple matter (the guide marks which): the citizen leaves a phone
 * number for the reply and gets the request number and the promised date on a printed receipt.
 * @param {import('./guide-list.js').MatterView} m
 * @returns {import('./shell.js').Screen}
 */
export function registerScreen(m) {
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
    fill(view.main, title(`登记：${m.title.zh}`, `Register: ${m.title.en}`), box, field.el);
    const { primary } = view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(matterScreen(m)) },
      home: true,
      primary: {
        zh: '提交登记',
        en: 'Register',
        disabled: true,
        run: async () => {
          fill(box);
          try {
            const r = await api(
              'POST',
              '/api/assist/requests',
              { matter: m.id, phone: value, consent: true },
              { key },
            );
            view.nav.go(registeredScreen(r, m));
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
 * @param {{ id: string, deadline: string, stateLabel: { zh: string, en: string }, citizen: { phone: string | null } }} r
 * @param {import('./guide-list.js').MatterView} m
 * @returns {import('./shell.js').Screen}
 */
function registeredScreen(r, m) {
  return (view) => {
    fill(
      view.main,
      title('已受理', 'Registered'),
      dl([
        [{ zh: '受理编号', en: 'Request number' }, r.id, 'number'],
        [{ zh: '事项', en: 'Matter' }, bi(m.title.zh, m.title.en), 'matter'],
        [{ zh: '承诺时限', en: 'Time limit' }, bi(limitOf(m).zh, limitOf(m).en), 'limit'],
        [{ zh: '承诺办结', en: 'Promised by' }, r.deadline, 'deadline'],
        [{ zh: '联系电话', en: 'Phone' }, r.citizen.phone ?? '', 'phone'],
      ]),
      h(
        'p',
        { class: 'ok' },
        bi('受理回执已打印，结果将电话告知', 'Your receipt is printed; you will be called with the result'),
      ),
    );
    view.bar({ primary: { zh: '完成', en: 'Done', id: 'act-done', run: () => view.nav.home() } });
  };
}
