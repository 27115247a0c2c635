import { api } from './api.js';
import { loadInto } from './console-kit.js';
import { requestsScreen } from './console-requests.js';
import { bi, button, dl, fill, h, messageBox, title } from './dom.js';

/**
 * What the operator can say without a keyboard: preset notes, results and refusal reasons.
 * (HQ, standing in for the service centre, sends its own words with `kiosk-hq request update`.)
 */
const CALL_NOTE = '已电话告知本人办理结果';
const RESULT = { zh: '已办结，可领取', en: 'Done; ready to collect' };
const REASONS = [
  { id: 'materials', zh: '材料不全，请补齐后再来', en: 'Materials incomplete; please bring the rest' },
  { id: 'scope', zh: '不属于本站受理范围，已作解释', en: 'Not a matter this station handles; explained' },
  { id: 'withdrawn', zh: '当事人撤回申请', en: 'Withdrawn by the citizen' },
];

/**
 * One request in full for the operator (the citizen's phone and ID number unmasked, to call them
 * back), its course, and the actions its state allows: verify (协办), submit (报送), record the
 * result, tell the citizen by a logged phone call or a printed notice (回复), close (against the
 * owner's signature for an item), refuse with a reason, reprint the receipt.
 * @param {import('./shell.js').Shell} shell
 * @param {string} id
 * @returns {import('./shell.js').Screen}
 */
export function requestScreen(shell, id) {
  return (view) => {
    const box = messageBox();
    const body = h('div');
    fill(view.main, title(`申请 ${id}`, `Request ${id}`), box, body);
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(requestsScreen(shell)) },
      extra: [
        {
          zh: '补打回执',
          en: 'Reprint',
          id: 'act-reprint',
          run: () => act(`/api/assist/requests/${id}/reprint`, undefined),
        },
      ],
    });
    /**
     * @param {string} path
     * @param {unknown} payload
     */
    const act = async (path, payload) => {
      fill(box);
      try {
        await api('POST', path, payload);
        if (payload === undefined)
          fill(box, h('p', { class: 'ok', 'data-k': 'printed' }, bi('已补打', 'Reprinted')));
        else view.nav.go(requestScreen(shell, id));
      } catch (e) {
        const err = /** @type {import('./api.js').ApiError} */ (e);
        fill(box, ...err.issues.map((i) => h('p', { class: 'error' }, bi(i.zh, i.en))));
      }
    };
    const move = (/** @type {Record<string, unknown>} */ u) => act(`/api/assist/requests/${id}/update`, u);
    void loadInto(body, async () => {
      const r = await api('GET', `/api/assist/requests/${encodeURIComponent(id)}`);
      const item = r.kind !== 'proxy';
      /** @type {Array<[string, string, string, () => unknown]>} */
      const actions = [];
      if (r.state === 'registered')
        actions.push(['verified', '核实', 'Verify', () => move({ to: 'verified' })]);
      if (r.state === 'verified')
        actions.push(['submitted', '报送', 'Submit', () => move({ to: 'submitted' })]);
      if (r.state === 'submitted')
        actions.push([
          'result-received',
          '结果已到',
          'Result in',
          () => move({ to: 'result-received', result: RESULT }),
        ]);
      if (r.state === 'result-received') {
        actions.push([
          'phone',
          '电话告知',
          'Phoned',
          () => move({ to: 'notified', method: 'phone', note: CALL_NOTE }),
        ]);
        actions.push(['print', '打印通知', 'Print notice', () => move({ to: 'notified', method: 'print' })]);
      }
      if (r.state === 'notified')
        actions.push([
          'closed',
          item ? '签字领回' : '办结',
          item ? 'Signed and collected' : 'Close',
          () => move({ to: 'closed', ...(item ? { signed: true } : {}) }),
        ]);
      const open = r.state !== 'closed' && r.state !== 'refused';
      return [
        h(
          'div',
          { class: 'req-actions' },
          ...actions.map(([to, zh, en, run]) => button(zh, en, run, 'secondary', { 'data-to': to })),
          open
            ? button('不予受理', 'Refuse', () => view.nav.go(refuseScreen(shell, id)), 'secondary', {
                'data-to': 'refused',
              })
            : null,
        ),
        dl(
          /** @type {Array<[import('./dom.js').Bilingual, import('./dom.js').Child, string?]>} */ ([
            [{ zh: '事项', en: 'Matter' }, bi(r.matterTitle.zh, r.matterTitle.en), 'matter'],
            [{ zh: '状态', en: 'State' }, bi(r.stateLabel.zh, r.stateLabel.en), 'state'],
            [{ zh: '联系电话', en: 'Phone' }, r.citizen.phone ?? bi('已清除', 'erased'), 'phone'],
            [{ zh: '身份证号', en: 'ID number' }, r.citizen.idNumber ?? '', 'idNumber'],
            [{ zh: '承诺办结', en: 'Promised by' }, r.deadline, 'deadline'],
            [
              { zh: '办理方式', en: 'Handling' },
              r.consent ? bi('代办', 'By proxy') : bi('帮办', 'Assistance'),
              'consent',
            ],
            [{ zh: '已收材料', en: 'Materials' }, r.materials.join('、'), 'materials'],
            ...(r.result ? [[{ zh: '办理结果', en: 'Result' }, bi(r.result.zh, r.result.en), 'result']] : []),
            ...(r.refusal
              ? [[{ zh: '不予受理', en: 'Refused' }, bi(r.refusal.zh, r.refusal.en), 'refusal']]
              : []),
            ...(r.flag
              ? [
                  [
                    { zh: '提醒', en: 'Flag' },
                    r.flag === 'overdue' ? bi('超期', 'Overdue') : bi('临期', 'Due soon'),
                    'flag',
                  ],
                ]
              : []),
          ]),
        ),
        h('h2', {}, bi('办理记录', 'Course')),
        h(
          'ol',
          { class: 'guide-list', 'data-k': 'history' },
          ...r.history.map((/** @type {any} */ s) =>
            h(
              'li',
              { 'data-state': s.state },
              `${new Date(s.at + 8 * 3_600_000).toISOString().slice(5, 16).replace('T', ' ')} ${s.state} ${s.by}${s.note ? ` ${s.note}` : ''}`,
            ),
          ),
        ),
      ];
    });
  };
}

/**
 * Refusing a request: the reason is one of the station's preset explanations.
 * @param {import('./shell.js').Shell} shell
 * @param {string} id
 * @returns {import('./shell.js').Screen}
 */
function refuseScreen(shell, id) {
  return (view) => {
    const box = messageBox();
    fill(
      view.main,
      title('不予受理的原因', 'Why it is refused'),
      box,
      h(
        'div',
        { class: 'services' },
        ...REASONS.map((x) =>
          button(
            x.zh,
            x.en,
            async () => {
              try {
                await api('POST', `/api/assist/requests/${id}/update`, {
                  to: 'refused',
                  reason: { zh: x.zh, en: x.en },
                });
                view.nav.go(requestScreen(shell, id));
              } catch (e) {
                const err = /** @type {import('./api.js').ApiError} */ (e);
                fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
              }
            },
            'tile',
            { 'data-reason': x.id },
          ),
        ),
      ),
    );
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(requestScreen(shell, id)) } });
  };
}
