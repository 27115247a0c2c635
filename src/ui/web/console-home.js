import { assistScreen } from './console-assist.js';
import { balanceScreen } from './console-balance.js';
import { logOut } from './console-entry.js';
import { journalsScreen } from './console-journals.js';
import { ordersScreen } from './console-orders.js';
import { pendingScreen } from './console-pending.js';
import { powerCardScreen } from './console-power-card.js';
import { reportsScreen } from './console-reports.js';
import { reprintScreen } from './console-reprint.js';
import { requestsScreen } from './console-requests.js';
import { reverseScreen } from './console-reverse.js';
import { statusScreen } from './console-status.js';
import { supervisorScreen } from './console-supervisor.js';
import { bi, fill, h, title } from './dom.js';

/**
 * The console's menu: what the operator can do, by role. A supervisor also checks the journal and
 * manages operators.
 * @param {import('./shell.js').Shell} shell
 * @returns {import('./shell.js').Screen}
 */
export function consoleHome(shell) {
  return (view) => {
    const op = /** @type {NonNullable<typeof shell.operator>} */ (shell.operator);
    const items = [
      { id: 'assist', zh: '代办业务', en: 'Assisted payment', go: () => assistScreen(shell) },
      { id: 'requests', zh: '便民代办', en: 'Assisted requests', go: () => requestsScreen(shell) },
      { id: 'orders', zh: '柜台订单', en: 'Counter orders', go: () => ordersScreen(shell) },
      { id: 'pending', zh: '待处理与告警', en: 'Pending and alerts', go: () => pendingScreen(shell) },
      { id: 'reverse', zh: '撤销', en: 'Reversal', go: () => reverseScreen(shell) },
      { id: 'reprint', zh: '补打收据', en: 'Reprint receipt', go: () => reprintScreen(shell) },
      { id: 'balance', zh: '余额与明细', en: 'Balance and ledger', go: () => balanceScreen(shell) },
      { id: 'journals', zh: '流水查询', en: 'Journals', go: () => journalsScreen(shell) },
      { id: 'reports', zh: '扎账与报表', en: 'Settlement, reports', go: () => reportsScreen(shell) },
      { id: 'power-card', zh: '电卡未确认', en: 'Card purchases', go: () => powerCardScreen(shell) },
      { id: 'status', zh: '设备与联网', en: 'Devices and link', go: () => statusScreen(shell) },
      ...(op.role === 'supervisor'
        ? [{ id: 'supervisor', zh: '主管功能', en: 'Supervisor', go: () => supervisorScreen(shell) }]
        : []),
    ];
    fill(
      view.main,
      h(
        'div',
        { class: 'screen-head' },
        title('柜员控制台', 'Operator console'),
        h(
          'span',
          { class: 'who', 'data-k': 'who' },
          bi(`${op.name}（${op.code}）${op.role === 'supervisor' ? '主管' : '柜员'}`, op.role),
        ),
      ),
      h(
        'div',
        { class: 'services console-menu' },
        ...items.map((it) =>
          h(
            'button',
            { type: 'button', class: 'tile', 'data-menu': it.id, onclick: () => view.nav.go(it.go()) },
            bi(it.zh, it.en),
          ),
        ),
      ),
    );
    view.bar({ back: { zh: '退出登录', en: 'Log out', id: 'act-logout', run: () => logOut(shell) } });
  };
}
