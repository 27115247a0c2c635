import { z } from 'zod';
import { monthlyStatsSchema, statsMonthSchema, statsRequestSchema } from '../../core/assist/monthly-stats.ts';
import {
  registerInputSchema,
  requestUpdateBodySchema,
  requestViewSchema,
} from '../../core/assist/request.ts';
import { errors, idempotencyHeader, json, OPERATOR, OPTIONAL, ref } from './openapi-parts.ts';

/**
 * The OpenAPI part of assisted requests (代办/帮办): registered by the operator (or by the citizen
 * alone for a self-service matter), listed, read and moved along by the operator, their receipt
 * reprinted, and the month's statistics read, sent to HQ and printed. The schemas are the zod
 * schemas the kiosk itself uses (z.toJSONSchema): the bodies as the routes parse them, the request
 * and the statistics as they are stored and answered.
 */

export const ASSIST_SCHEMAS: Record<string, Record<string, unknown>> = {
  AssistRequestInput: z.toJSONSchema(registerInputSchema, { io: 'input' }),
  AssistRequest: z.toJSONSchema(requestViewSchema, { io: 'output' }),
  AssistRequestList: {
    type: 'object',
    properties: { items: { type: 'array', items: ref('AssistRequest') } },
    required: ['items'],
  },
  AssistRequestUpdate: z.toJSONSchema(requestUpdateBodySchema, { io: 'input' }),
  AssistRequestUpdated: z.toJSONSchema(
    requestViewSchema.extend({ unchanged: z.boolean().describe('it was in that state already') }),
    { io: 'output' },
  ),
  AssistStats: z.toJSONSchema(monthlyStatsSchema, { io: 'output' }),
  AssistStatsSend: z.toJSONSchema(statsRequestSchema, { io: 'input' }),
  AssistStatsMonth: z.toJSONSchema(statsMonthSchema, { io: 'input' }),
};

const ID = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'request id (the number on its receipt)',
  schema: { type: 'string' },
};
const ok = (description: string, schema: string) => ({
  '200': { description, content: json(ref(schema)) },
  ...errors,
});

export const ASSIST_PATHS: Record<string, Record<string, unknown>> = {
  '/api/assist/requests': {
    post: {
      summary:
        "Register a citizen's request (operator, or the citizen alone for a self-service matter); the receipt is printed",
      security: OPTIONAL,
      parameters: [
        idempotencyHeader('a repeat with the same key answers the first registration (200 instead of 201)'),
      ],
      requestBody: { required: true, content: json(ref('AssistRequestInput')) },
      responses: {
        '201': { description: 'Registered (citizen masked)', content: json(ref('AssistRequest')) },
        '200': { description: 'The same request, repeated', content: json(ref('AssistRequest')) },
        ...errors,
      },
    },
    get: {
      summary: 'Requests, newest first (operator; citizen masked)',
      security: OPERATOR,
      parameters: [
        {
          name: 'open',
          in: 'query',
          required: false,
          description: '1 or true: only the unfinished ones',
          schema: { type: 'string' },
        },
      ],
      responses: ok('OK', 'AssistRequestList'),
    },
  },
  '/api/assist/requests/{id}': {
    get: {
      summary: "One request with the citizen's full phone and ID number, to call them back (operator)",
      security: OPERATOR,
      parameters: [ID],
      responses: ok('OK', 'AssistRequest'),
    },
  },
  '/api/assist/requests/{id}/update': {
    post: {
      summary:
        'Move a request to its next state or refuse it (operator; a skipped or final state is refused, a repeat changes nothing)',
      security: OPERATOR,
      parameters: [ID],
      requestBody: { required: true, content: json(ref('AssistRequestUpdate')) },
      responses: ok('OK (citizen masked)', 'AssistRequestUpdated'),
    },
  },
  '/api/assist/requests/{id}/reprint': {
    post: {
      summary: "Print the request's receipt again (operator)",
      security: OPERATOR,
      parameters: [ID],
      responses: ok('Printed', 'PaperPrinted'),
    },
  },
  '/api/assist/stats': {
    get: {
      summary: "A month's statistics of requests and appointments (operator)",
      security: OPERATOR,
      parameters: [
        {
          name: 'month',
          in: 'query',
          required: false,
          description: 'yyyymm (default the current month)',
          schema: (ASSIST_SCHEMAS.AssistStatsMonth as { properties: { month: unknown } }).properties.month,
        },
      ],
      responses: ok('OK', 'AssistStats'),
    },
  },
  '/api/assist/stats/send': {
    post: {
      summary: "Send a month's statistics to HQ (每月结报), printing them when asked (operator)",
      security: OPERATOR,
      requestBody: { required: false, content: json(ref('AssistStatsSend')) },
      responses: ok('Sent', 'AssistStats'),
    },
  },
  '/api/assist/stats/print': {
    post: {
      summary: "Print a month's statistics (operator)",
      security: OPERATOR,
      requestBody: { required: false, content: json(ref('AssistStatsMonth')) },
      responses: ok('Printed', 'PaperPrinted'),
    },
  },
};
