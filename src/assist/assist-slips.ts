import type { Appointment } from '../core/assist/appointments.ts';
import { type Guide, type Matter, MODE_TEXT } from '../core/assist/guide.ts';
import type { MonthlyStats } from '../core/assist/monthly-stats.ts';
import { maskCitizen } from '../core/assist/privacy.ts';
import { type AssistRequest, STATE_TEXT } from '../core/assist/request.ts';
import { toLocal } from '../core/business-day.ts';
import { parseReceipt, type Receipt, type ReceiptLine } from '../receipts/receipt.ts';

/**
 * The printed papers of the assisted services, built on the one receipt model: the guide sheet of a
 * matter, the request receipt (受理回执; a claim ticket for a repair drop-off, a register slip for
 * a found item), the result notice, the appointment slip and the monthly statistics. Personal
 * numbers are always printed masked.
 */
export interface SlipStation {
  stationId: string;
  stationName: string;
}

const ZERO = '0.00';
/** A paper printed more than once (a guide sheet, a notice) gets a fresh job serial each time. */
const fresh = (prefix: string, at: number): string => `${prefix}${at.toString(36).toUpperCase()}`;
const cut = (s: string, n = 80): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function day(ms: number): string {
  const d = toLocal(ms).date;
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

function paper(
  station: SlipStation,
  title: { zh: string; en: string },
  serial: string,
  at: number,
  operator: string | null,
  serviceName: string,
  lines: ReceiptLine[],
  fee = ZERO,
  footer?: string[],
): Receipt {
  return parseReceipt({
    title,
    stationId: station.stationId,
    stationName: station.stationName,
    serial,
    businessDate: toLocal(at).date,
    time: at,
    operator,
    serviceName: cut(serviceName, 24),
    lines: lines.slice(0, 40).map((l) => ({ label: cut(l.label, 16), value: cut(l.value) })),
    amount: ZERO,
    fee,
    total: fee,
    reprint: false,
    ...(footer ? { footer } : {}),
  });
}

const limitText = (m: Pick<Matter, 'timeLimitDays'>): string =>
  m.timeLimitDays === 0 ? '当场办结' : `${m.timeLimitDays} 天内办结`;

/** The guide sheet of one matter: what anyone browsing the guide can take away. */
export function guideSheet(guide: Guide, m: Matter, station: SlipStation, now: number): Receipt {
  const lines: ReceiptLine[] = [
    { label: '服务内容', value: m.content.zh },
    { label: '办理方式', value: MODE_TEXT[m.mode].zh },
    { label: '承诺时限', value: limitText(m) },
    { label: '收费标准', value: m.fee === ZERO ? '免费' : `${m.fee} 元` },
    { label: '本人到场', value: m.inPerson ? '须本人到场办理' : '可委托代办' },
    ...m.materials.map((x, i) => ({ label: `申报材料${i + 1}`, value: x.zh })),
    ...m.procedure.map((x, i) => ({ label: `办事程序${i + 1}`, value: x.zh })),
  ];
  return paper(
    station,
    { zh: '办事指南', en: 'Service guide' },
    fresh(`G${guide.version}`, now),
    now,
    null,
    m.title.zh,
    lines,
    m.fee,
  );
}

const RECEIPT_TITLE: Record<AssistRequest['kind'], { zh: string; en: string }> = {
  proxy: { zh: '受理回执', en: 'Request receipt' },
  'lost-found': { zh: '失物登记凭条', en: 'Found item slip' },
  repair: { zh: '维修取件凭条', en: 'Repair claim ticket' },
};

/** The citizen's receipt of a registered request (the claim ticket of a repair drop-off). */
export function requestReceipt(r: AssistRequest, m: Matter | undefined, station: SlipStation): Receipt {
  const c = maskCitizen(r.citizen);
  const lines: ReceiptLine[] = [
    { label: '受理编号', value: r.id },
    { label: '状态', value: STATE_TEXT[r.state].zh },
    ...(c.name ? [{ label: '姓名', value: c.name }] : []),
    ...(c.idNumber ? [{ label: '身份证号', value: c.idNumber }] : []),
    ...(c.phone ? [{ label: '联系电话', value: c.phone }] : []),
    ...(r.details ? [{ label: r.kind === 'proxy' ? '事项说明' : '物品', value: r.details }] : []),
    ...r.materials.map((x, i) => ({ label: `已收材料${i + 1}`, value: x })),
    { label: '办理方式', value: r.consent ? '代办（已授权委托）' : '帮办' },
    { label: '承诺办结', value: day(r.deadlineAt) },
  ];
  const footer =
    r.kind === 'repair'
      ? ['凭此票取件 Bring this ticket to collect']
      : ['办理结果将电话告知 You will be called with the result'];
  return paper(
    station,
    RECEIPT_TITLE[r.kind],
    r.id,
    r.registeredAt,
    r.operator,
    r.matterTitle.zh,
    lines,
    m?.fee ?? ZERO,
    footer,
  );
}

/** The printed result notice (回复) handed or sent to the citizen. */
export function resultNotice(r: AssistRequest, station: SlipStation, at: number): Receipt {
  const c = maskCitizen(r.citizen);
  return paper(
    station,
    { zh: '办理结果通知', en: 'Result notice' },
    fresh(`${r.id}N`, at),
    at,
    r.operator,
    r.matterTitle.zh,
    [
      { label: '受理编号', value: r.id },
      ...(c.name ? [{ label: '姓名', value: c.name }] : []),
      { label: '受理日期', value: day(r.registeredAt) },
      { label: '办理结果', value: r.result?.zh ?? '' },
    ],
  );
}

/** The slip of a booked appointment. */
export function appointmentSlip(a: Appointment, station: SlipStation): Receipt {
  const c = maskCitizen(a.citizen);
  return paper(
    station,
    { zh: '预约凭条', en: 'Appointment slip' },
    a.id,
    a.createdAt,
    null,
    a.matterTitle.zh,
    [
      { label: '预约编号', value: a.id },
      { label: '预约日期', value: `${a.date.slice(0, 4)}-${a.date.slice(4, 6)}-${a.date.slice(6, 8)}` },
      { label: '预约时段', value: `${a.from}-${a.to}` },
      ...(c.phone ? [{ label: '联系电话', value: c.phone }] : []),
    ],
    ZERO,
    ['请按时到亭办理 Please come in your slot'],
  );
}

/** The monthly statistics sheet (便民服务办理情况统计表). */
export function statsSheet(
  s: MonthlyStats,
  station: SlipStation,
  now: number,
  operator: string | null,
): Receipt {
  return paper(
    station,
    { zh: '便民服务月报', en: 'Monthly statistics' },
    fresh(`M${s.month}`, now),
    now,
    operator,
    `${s.month.slice(0, 4)}年${s.month.slice(4)}月`,
    [
      ...s.byMatter.map((r) => ({
        label: cut(r.title.zh, 16),
        value: `共${r.total} 办结${r.closed} 不予${r.refused} 在办${r.open}`,
      })),
      {
        label: '合计',
        value: `共${s.totals.total} 办结${s.totals.closed} 不予${s.totals.refused} 在办${s.totals.open}`,
      },
      { label: '超期', value: String(s.overdue) },
      { label: '预约', value: String(s.appointments) },
    ],
  );
}
