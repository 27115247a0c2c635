import type { BalanceSummary } from '../../balance/balance-service.ts';

export interface StatusPageInput {
  stationId: string;
  stationName: string;
  safeMode: { zh: string; en: string } | null;
  /** Only for an operator: the page is reachable without a session, so it is normally left out. */
  balance?: BalanceSummary | undefined;
  openTransactions: number;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A plain status page for support staff at `/`: station, safe mode, open transactions. No personal
 * data, and the station's balance only when given (operators see it in their console).
 */
export function statusPage(h: StatusPageInput): string {
  const b = h.balance;
  const state = h.safeMode
    ? `<p style="color:#b00;font-weight:bold">安全模式 / Safe mode: ${escapeHtml(h.safeMode.zh)} — ${escapeHtml(h.safeMode.en)}</p>`
    : '<p>运行正常 / Running</p>';
  const low = b?.low ? ' · <b>余额不足，请及时续费 / low balance</b>' : '';
  const balance = b
    ? `<p>信誉度余额 Balance: ￥${b.balance} · 冻结 Held: ￥${b.held} · 可用 Available: ￥${b.available}${low}</p>`
    : '';
  return `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>便民服务亭 ${escapeHtml(h.stationId)}</title>
<body style="font-family:sans-serif;margin:2em"><h1>${escapeHtml(h.stationName)} · ${escapeHtml(h.stationId)}</h1>
${state}
${balance}
<p>处理中交易 Open transactions: ${h.openTransactions}</p>
<p><a href="/api/openapi.json">API (OpenAPI 3.1)</a></p>
</body></html>`;
}
