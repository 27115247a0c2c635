import { z } from 'zod';
import { slotViewSchema } from '../../core/assist/appointments.ts';
import { matterSchema } from '../../core/assist/guide.ts';
import { errors, json, OPTIONAL, ref } from './openapi-parts.ts';

/**
 * The OpenAPI part of the published service guide (办事指南), open to anyone: the matters, one
 * matter, its printed sheet and its appointment slots. A matter is the guide's own zod schema
 * (z.toJSONSchema) with the handling mode in words the screens show beside it.
 */
const bi = {
  type: 'object',
  properties: { zh: { type: 'string' }, en: { type: 'string' } },
  required: ['zh', 'en'],
};
const version = {
  anyOf: [{ type: 'integer' }, { type: 'null' }],
  description: 'guide version (null: none yet)',
};

/**
 * The guide's matter schema with the answer's `modeLabel` added (and, for one matter, `version`).
 * Its input side: the only transform (the fee normalised to two decimals) keeps it a yuan string.
 */
function matterView(extra: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _dialect, ...m } = z.toJSONSchema(matterSchema, { io: 'input' }) as Record<
    string,
    unknown
  > & {
    properties: Record<string, unknown>;
    required: string[];
  };
  return {
    ...m,
    properties: { ...m.properties, modeLabel: bi, ...extra },
    required: [...m.required, 'modeLabel', ...Object.keys(extra)],
  };
}

export const GUIDE_SCHEMAS: Record<string, Record<string, unknown>> = {
  GuideMatter: matterView({}),
  GuideMatterOne: matterView({ version }),
  Guide: {
    type: 'object',
    properties: {
      version,
      matters: { type: 'array', items: ref('GuideMatter') },
      hoursToday: {
        type: 'array',
        items: {
          type: 'object',
          properties: { from: { type: 'string' }, to: { type: 'string' } },
          required: ['from', 'to'],
        },
      },
    },
    required: ['version', 'matters', 'hoursToday'],
  },
  GuideSlots: {
    type: 'object',
    properties: {
      days: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            date: { type: 'string', pattern: '^\\d{8}$' },
            slots: { type: 'array', items: z.toJSONSchema(slotViewSchema, { io: 'output' }) },
          },
          required: ['date', 'slots'],
        },
      },
    },
    required: ['days'],
  },
  PaperPrinted: { type: 'object', properties: { printed: { const: true } }, required: ['printed'] },
};

const ID = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'matter id from the guide',
  schema: { type: 'string' },
};
const op = (summary: string, response: string, parameters: unknown[] = []) => ({
  summary,
  security: OPTIONAL,
  parameters,
  responses: { '200': { description: 'OK', content: json(ref(response)) }, ...errors },
});

export const GUIDE_PATHS: Record<string, Record<string, unknown>> = {
  '/api/guide': {
    get: op("The service guide: its version, every matter, today's appointment hours", 'Guide'),
  },
  '/api/guide/{id}': { get: op('One matter of the guide', 'GuideMatterOne', [ID]) },
  '/api/guide/{id}/print': {
    post: op("Prints the matter's guide sheet through the print queue", 'PaperPrinted', [ID]),
  },
  '/api/guide/{id}/slots': {
    get: op(
      'Bookable dates of a matter handled by appointment, each slot with what is left (otherwise refused)',
      'GuideSlots',
      [ID],
    ),
  },
};
