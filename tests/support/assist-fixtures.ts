import type { AssistRequest } from '../../src/core/assist/request.ts';
import { localInstant } from '../../src/core/business-day.ts';

/** 10:00 Shanghai on 2026-12-01, the registration time of `sampleRequest`. */
export const ASSIST_T0 = localInstant('20261201', '10:00');

/** A proxy request registered at the counter by T001 at ASSIST_T0, with `over` applied. */
export function sampleRequest(over: Partial<AssistRequest> = {}): AssistRequest {
  return {
    id: 'R202612010001',
    number: 'R202612010001',
    matter: 'id-card',
    kind: 'proxy',
    matterTitle: { zh: '身份证办理代办', en: 'ID card' },
    citizen: { name: '张三丰', idNumber: '33010219900101123X', phone: '13912345678' },
    purgedAt: null,
    details: '',
    materials: [],
    consent: true,
    channel: 'operator',
    operator: 'T001',
    state: 'registered',
    registeredAt: ASSIST_T0,
    deadlineAt: ASSIST_T0 + 15 * 86_400_000,
    flag: null,
    result: null,
    refusal: null,
    notice: null,
    history: [{ state: 'registered', at: ASSIST_T0, by: 'operator:T001' }],
    rev: 1,
    updatedAt: ASSIST_T0,
    ...over,
  };
}
