import { KioskError } from '../../core/errors.ts';
import type { ReportScope } from '../../reports/settlement.ts';
import type { Session } from './sessions.ts';

const forbidden = (zh: string, en: string) => new KioskError('KIOSK_E_FORBIDDEN', { field: 'scope', zh, en });

/**
 * The scope a report request may have. A teller (普通柜员) sees only their own reports; a
 * supervisor (综合柜员) the station's, or any teller's with `operator`. Without `scope` a teller
 * gets their own and a supervisor the station's.
 */
export function reportScope(session: Session, q: Record<string, string | undefined>): ReportScope {
  const want = q.scope || (session.role === 'supervisor' ? 'station' : 'teller');
  if (want !== 'teller' && want !== 'station') {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'scope',
      zh: '范围应为 teller（柜员）或 station（网点）',
      en: 'scope must be teller or station',
    });
  }
  if (want === 'station') {
    if (session.role !== 'supervisor')
      throw forbidden('普通柜员只能查看本柜员的报表', 'a teller sees only their own reports');
    return { kind: 'station' };
  }
  const operator = (q.operator || session.code).toUpperCase();
  if (!/^[0-9A-Za-z]{4}$/.test(operator)) {
    throw new KioskError('KIOSK_E_INVALID_INPUT', {
      field: 'operator',
      zh: '操作员代码为 4 位字母或数字',
      en: 'operator code is 4 letters or digits',
    });
  }
  if (operator !== session.code && session.role !== 'supervisor')
    throw forbidden('普通柜员只能查看本柜员的报表', 'a teller sees only their own reports');
  return { kind: 'teller', operator };
}

/** Only a supervisor (综合柜员) may do this. */
export function requireSupervisor(session: Session): void {
  if (session.role !== 'supervisor') throw forbidden('需要综合柜员权限', 'needs a supervisor (综合柜员)');
}
