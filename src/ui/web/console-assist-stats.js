import { api } from './api.js';
import { askToConfirm } from './confirm-dialog.js';
import { loadInto, table } from './console-kit.js';
import { requestsScreen } from './console-requests.js';
import { bi, button, dl, fill, h, messageBox, title } from './dom.js';

/**
 * The month's statistics of the assisted services (每月结报): requests by matter and outcome, the
 * overdue count and appointments; sent to HQ (journaled, relayed) and printed.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function assistStatsScreen(shell) {
  return (view) => {
    /** @type {string | null} the kiosk's current month, from its answer */
    let month = null;
    const box = messageBox();
    const body = h('div');
    fill(view.main, title('便民服务月报', 'Monthly statistics'), box, body);
    const send = async (/** @type {boolean} */ print) => {
      fill(box);
      try {
        await api('POST', '/api/assist/stats/send', { ...(month ? { month } : {}), print });
        fill(
          box,
          h('p', { class: 'ok', 'data-k': 'sent' }, bi('已报送总部并打印', 'Sent to HQ and printed')),
        );
      } catch (e) {
        const err = /** @type {import('./api.js').ApiError} */ (e);
        fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
      }
    };
    view.bar({
      back: { zh: '返回', en: 'Back', run: () => view.nav.go(requestsScreen(shell)) },
      primary: { zh: '报送并打印', en: 'Send and print', id: 'act-send', run: () => send(true) },
    });
    void loadInto(body, async () => {
      const s = await api('GET', '/api/assist/stats');
      month = s.month;
      return [
        h('p', { 'data-k': 'month' }, `${s.month.slice(0, 4)}-${s.month.slice(4)}`),
        table(
          [
            { zh: '事项', en: 'Matter' },
            { zh: '合计', en: 'Total' },
            { zh: '办结', en: 'Closed' },
            { zh: '不予受理', en: 'Refused' },
            { zh: '在办', en: 'Open' },
          ],
          s.byMatter.map((/** @type {any} */ r) => [
            r.title.zh,
            String(r.total),
            String(r.closed),
            String(r.refused),
            String(r.open),
          ]),
          'stats',
        ),
        dl([
          [{ zh: '合计', en: 'Total' }, String(s.totals.total), 'total-requests'],
          [{ zh: '办结', en: 'Closed' }, String(s.totals.closed), 'closed'],
          [{ zh: '超期', en: 'Overdue' }, String(s.overdue), 'overdue'],
          [{ zh: '预约', en: 'Appointments' }, String(s.appointments), 'appointments'],
        ]),
      ];
    });
  };
}

/** An appointment's state in words. */
const APPOINTMENT_STATUS = {
  booked: { zh: '已预约', en: 'booked' },
  served: { zh: '已办理', en: 'served' },
  cancelled: { zh: '已取消', en: 'cancelled' },
};

/**
 * Today's appointments, by slot, with the phone number to call if the citizen does not come; a
 * booking still open is marked served or cancelled here (the same operation as the API and
 * `kiosk appointment`), and the list is read again.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function appointmentsScreen(shell) {
  return (view) => {
    const box = messageBox();
    const body = h('div');
    fill(view.main, title('今日预约', 'Appointments today'), box, body);
    view.bar({ back: { zh: '返回', en: 'Back', run: () => view.nav.go(requestsScreen(shell)) } });
    const close = async (/** @type {string} */ id, /** @type {'cancel' | 'serve'} */ action) => {
      fill(box);
      try {
        await api('POST', `/api/appointments/${encodeURIComponent(id)}/${action}`, {});
      } catch (e) {
        const err = /** @type {import('./api.js').ApiError} */ (e);
        fill(box, h('p', { class: 'error' }, bi(err.zh, err.en)));
      }
      await load();
    };
    // Either close is for good (a cancelled booking frees its slot for someone else, a served one
    // can no longer be cancelled), so each is asked once more, naming the booking.
    const confirmed = (/** @type {any} */ a, /** @type {{ zh: string, en: string }} */ question) =>
      askToConfirm(
        view.main,
        question,
        bi(
          `${a.from}-${a.to} ${a.matterTitle.zh}（${a.id}）`,
          `${a.from}-${a.to} ${a.matterTitle.en}, no. ${a.id}`,
        ),
      );
    const cancel = async (/** @type {any} */ a) => {
      if (await confirmed(a, { zh: '取消预约？', en: 'Cancel this appointment?' }))
        await close(a.id, 'cancel');
    };
    const serve = async (/** @type {any} */ a) => {
      if (await confirmed(a, { zh: '确认已办理？', en: 'Mark as served?' })) await close(a.id, 'serve');
    };
    const load = () =>
      loadInto(body, async () => {
        const r = await api('GET', '/api/appointments');
        if (r.items.length === 0)
          return h('p', { 'data-k': 'none' }, bi('今日没有预约', 'No appointments today'));
        return table(
          [
            { zh: '时段', en: 'Slot' },
            { zh: '编号', en: 'Number' },
            { zh: '事项', en: 'Matter' },
            { zh: '电话', en: 'Phone' },
            { zh: '状态', en: 'State' },
          ],
          r.items.map((/** @type {any} */ a) => {
            const st = APPOINTMENT_STATUS[/** @type {keyof typeof APPOINTMENT_STATUS} */ (a.status)];
            return [
              `${a.from}-${a.to}`,
              a.id,
              a.matterTitle.zh,
              a.citizen.phone ?? '',
              h(
                'span',
                { class: 'appointment-state', 'data-appointment': a.id, 'data-status': a.status },
                st ? bi(st.zh, st.en) : a.status,
                a.status === 'booked'
                  ? [
                      button('已办理', 'Served', () => serve(a), 'small', {
                        'data-serve': a.id,
                      }),
                      button('取消预约', 'Cancel', () => cancel(a), 'small', { 'data-cancel': a.id }),
                    ]
                  : null,
              ),
            ];
          }),
          'appointments',
        );
      });
    void load();
  };
}
