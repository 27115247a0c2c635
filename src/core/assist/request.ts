import { z } from 'zod';
import { REQUEST_KINDS } from './guide.ts';

/**
 * A citizen's request taken on by the station (受理/登记), followed to its reply (回复):
 *
 *   registered → verified (协办) → submitted (报送) → result-received → notified (回复) → closed
 *
 * and from any open state refused with a reason. The promised deadline comes from the guide's time
 * limit, counted from registration. Pure: no I/O, times are epoch ms passed in.
 */
export const REQUEST_STATES = [
  'registered',
  'verified',
  'submitted',
  'result-received',
  'notified',
  'closed',
  'refused',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const STATE_TEXT: Readonly<Record<RequestState, { zh: string; en: string }>> = {
  registered: { zh: '已受理', en: 'Registered' },
  verified: { zh: '已核实', en: 'Verified' },
  submitted: { zh: '已报送', en: 'Submitted' },
  'result-received': { zh: '已有结果', en: 'Result received' },
  notified: { zh: '已回复', en: 'Citizen notified' },
  closed: { zh: '已办结', en: 'Closed' },
  refused: { zh: '不予受理', en: 'Refused' },
};

/** The state each open state moves on to. */
export const NEXT_STATE: Readonly<Partial<Record<RequestState, RequestState>>> = {
  registered: 'verified',
  verified: 'submitted',
  submitted: 'result-received',
  'result-received': 'notified',
  notified: 'closed',
};

export const isFinalState = (s: RequestState): boolean => s === 'closed' || s === 'refused';

/** Personal fields of a citizen and how each is masked wherever it leaves the operator's view. */
export const CITIZEN_SENSITIVITY = { name: 'name', idNumber: 'id-number', phone: 'phone' } as const;
export type Sensitivity = (typeof CITIZEN_SENSITIVITY)[keyof typeof CITIZEN_SENSITIVITY];

/** A citizen's personal fields as stored and answered (masked wherever they leave the operator's view). */
export const citizenSchema = z.object({
  name: z.string().nullable(),
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
});
export type Citizen = z.infer<typeof citizenSchema>;

const bi = z.strictObject({ zh: z.string().min(1).max(200), en: z.string().min(1).max(600) });

/** What registering a request takes; the same schema for the API, the CLI and the screens. */
export const registerInputSchema = z.strictObject({
  matter: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a matter id from the guide'),
  name: z.string().trim().min(1).max(20).nullable().default(null),
  /** Resident ID number (18 characters, the last may be X). */
  idNumber: z
    .string()
    .regex(/^\d{17}[\dX]$/, 'must be an 18-character resident ID number')
    .nullable()
    .default(null),
  /** Where the citizen is told the result: an 11-digit mobile or a landline with area code. */
  phone: z.string().regex(/^(1\d{10}|0\d{9,11})$/, 'must be a mobile (11 digits) or landline with area code'),
  /** What the citizen asks for, or the item dropped off / found. */
  details: z.string().trim().max(200).default(''),
  /** Indexes into the matter's material list that were handed in. */
  materials: z.array(z.int().min(0).max(19)).max(20).default([]),
  /** The citizen authorises the station to act on their behalf (代办); without it, assistance only (帮办). */
  consent: z.boolean(),
});
export type RegisterInput = z.output<typeof registerInputSchema>;

const text = z.object({ zh: z.string(), en: z.string() });

/** One step of a request's history. */
export const requestStepSchema = z.object({
  state: z.enum(REQUEST_STATES),
  at: z.number().int(),
  /** `operator:<code>`, `self` or `hq`. */
  by: z.string(),
  note: z.string().optional(),
});
export type RequestStep = z.infer<typeof requestStepSchema>;

/**
 * A request as stored, sent to HQ and answered (citizen masked wherever it leaves the operator's
 * view). The one definition of its shape: the type below, the journal record and the API's schema.
 */
export const assistRequestSchema = z.object({
  id: z.string(),
  /** Short number told to the citizen and printed on the receipt / claim ticket. */
  number: z.string(),
  matter: z.string(),
  kind: z.enum(REQUEST_KINDS),
  matterTitle: text,
  citizen: citizenSchema,
  /** When the personal data was erased after the retention period; null until then. */
  purgedAt: z.number().int().nullable(),
  details: z.string(),
  materials: z.array(z.string()),
  consent: z.boolean(),
  channel: z.enum(['operator', 'self']),
  operator: z.string().nullable(),
  state: z.enum(REQUEST_STATES),
  registeredAt: z.number().int(),
  /** Promised time limit: the matter's days from registration (epoch ms). */
  deadlineAt: z.number().int(),
  /** `due-soon` once the warning went out, `overdue` once the deadline passed without a result. */
  flag: z.enum(['due-soon', 'overdue']).nullable(),
  result: text.nullable(),
  refusal: text.nullable(),
  /** How the citizen was told: a logged phone call or a printed notice. */
  notice: z
    .object({
      method: z.enum(['phone', 'print']),
      at: z.number().int(),
      by: z.string(),
      note: z.string().optional(),
    })
    .nullable(),
  history: z.array(requestStepSchema),
  /** Bumped at every change; HQ keeps the highest it has seen. */
  rev: z.number().int(),
  updatedAt: z.number().int(),
});
export type AssistRequest = z.infer<typeof assistRequestSchema>;

/** A request as the API answers it: its state in words, the deadline as a local date. */
export const requestViewSchema = assistRequestSchema.extend({
  stateLabel: text,
  /** yyyy-mm-dd (Asia/Shanghai). */
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});
export type RequestView = z.infer<typeof requestViewSchema>;

/** What moves a request, as the operator's screen posts it for the request in the path. */
const updateFields = z.strictObject({
  to: z.enum(REQUEST_STATES),
  note: z.string().max(200).optional(),
  /** For result-received: what the authority decided. */
  result: bi.optional(),
  /** For refused: why. */
  reason: bi.optional(),
  /** For notified: how the citizen was told. */
  method: z.enum(['phone', 'print']).optional(),
  /** For closing a lost-and-found or repair request: the owner signed for the item. */
  signed: z.boolean().optional(),
});

/** The rules between an update's fields, the same with or without the request's id. */
function updateRules<T extends z.ZodType<z.output<typeof updateFields>>>(schema: T): T {
  return schema
    .refine((u) => u.to !== 'refused' || u.reason !== undefined, {
      message: 'a refusal gives a reason',
      path: ['reason'],
    })
    .refine((u) => u.to !== 'result-received' || u.result !== undefined, {
      message: 'a result says what was decided',
      path: ['result'],
    })
    .refine((u) => u.to !== 'notified' || u.method !== undefined, {
      message: 'say how the citizen was told: phone or print',
      path: ['method'],
    })
    .refine((u) => u.to !== 'notified' || u.method !== 'phone' || (u.note ?? '') !== '', {
      message: 'a phone call is logged with a note of what was said',
      path: ['note'],
    });
}

/** The body of POST /api/assist/requests/{id}/update (the id comes from the path). */
export const requestUpdateBodySchema = updateRules(updateFields);

/** What moves a request: HQ's command and the operator's screen both use this one shape. */
export const requestUpdateSchema = updateRules(
  updateFields.extend({ id: z.string().regex(/^[A-Z0-9]{6,32}$/) }),
);
export type RequestUpdate = z.output<typeof requestUpdateSchema>;

export class TransitionRefused extends Error {
  constructor(
    readonly field: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
    this.name = 'TransitionRefused';
  }
}

/**
 * The request after `u`, or TransitionRefused naming why (a skipped state, a final request).
 * Moving to the state it is already in is a repeat and changes nothing (null).
 */
export function applyUpdate(
  r: AssistRequest,
  u: RequestUpdate,
  by: string,
  now: number,
): AssistRequest | null {
  if (r.state === u.to) return null;
  if (isFinalState(r.state))
    throw new TransitionRefused(
      'to',
      `申请已${STATE_TEXT[r.state].zh}，不能再变更`,
      `the request is ${r.state} already`,
    );
  if (u.to !== 'refused' && NEXT_STATE[r.state] !== u.to)
    throw new TransitionRefused(
      'to',
      `当前状态“${STATE_TEXT[r.state].zh}”之后应为“${STATE_TEXT[NEXT_STATE[r.state] ?? r.state].zh}”`,
      `from ${r.state} the next state is ${NEXT_STATE[r.state]}, not ${u.to}`,
    );
  if (u.to === 'closed' && r.kind !== 'proxy' && u.signed !== true)
    throw new TransitionRefused(
      'signed',
      '物品交还须由领取人签字确认',
      'an item is handed back only against the owner’s signature',
    );
  const step: RequestStep = { state: u.to, at: now, by, ...(u.note ? { note: u.note } : {}) };
  return {
    ...r,
    state: u.to,
    flag: isFinalState(u.to) || u.to === 'result-received' || u.to === 'notified' ? null : r.flag,
    result: u.to === 'result-received' ? (u.result ?? null) : r.result,
    refusal: u.to === 'refused' ? (u.reason ?? null) : r.refusal,
    notice:
      u.to === 'notified' && u.method
        ? { method: u.method, at: now, by, ...(u.note ? { note: u.note } : {}) }
        : r.notice,
    history: [...r.history, step],
    rev: r.rev + 1,
    updatedAt: now,
  };
}

/** Whether the promise is still running: a result is awaited. */
export const awaitsResult = (r: AssistRequest): boolean =>
  r.state === 'registered' || r.state === 'verified' || r.state === 'submitted';

/**
 * The flag a request should carry at `now`: overdue past its deadline, due-soon within `warnMs` of
 * it, else none. Only requests still waiting for a result are flagged.
 */
export function flagAt(r: AssistRequest, now: number, warnMs: number): AssistRequest['flag'] {
  if (!awaitsResult(r)) return null;
  if (now >= r.deadlineAt) return 'overdue';
  if (now >= r.deadlineAt - warnMs) return 'due-soon';
  return null;
}
