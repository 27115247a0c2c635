import { z } from 'zod';
import { POWER_CARD_OPS } from '../../core/services/power-card.ts';
import type { ServiceDefinition } from '../../core/transaction/types.ts';
import { cardFollowUpSchema } from '../../reports/card-follow-ups.ts';
import { errors, json, OPERATOR, ref } from './openapi-parts.ts';

/**
 * The OpenAPI part of the power card's unconfirmed list (未确认交易查询): the kiosk's own open card
 * purchases and reversals, each with what it waits for, the action that applies and the
 * transaction, and HQ's own list as the service's operator query schema checked it (null, with
 * `hqError`, when HQ did not answer or answered wrongly). Every schema is the one the kiosk uses.
 */

export function powerCardSchemas(services: readonly ServiceDefinition[]): Record<string, unknown> {
  const hqAnswer = services.find((s) => s.id === 'power-card')?.operatorQueries?.[POWER_CARD_OPS.unconfirmed];
  if (!hqAnswer) return {};
  return {
    CardFollowUp: z.toJSONSchema(cardFollowUpSchema, { io: 'output' }),
    'power-card.query-unconfirmed': z.toJSONSchema(hqAnswer, { io: 'output' }),
    CardUnconfirmed: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            allOf: [ref('CardFollowUp'), { type: 'object', properties: { transaction: ref('Transaction') } }],
          },
        },
        hq: { anyOf: [ref('power-card.query-unconfirmed'), { type: 'null' }] },
        hqError: {
          anyOf: [
            {
              type: 'object',
              properties: { code: { type: 'string' }, zh: { type: 'string' }, en: { type: 'string' } },
              required: ['code'],
            },
            { type: 'null' },
          ],
        },
      },
      required: ['items', 'hq', 'hqError'],
    },
  };
}

export function powerCardPaths(
  services: readonly ServiceDefinition[],
): Record<string, Record<string, unknown>> {
  if (!services.some((s) => s.id === 'power-card')) return {};
  return {
    '/api/card/unconfirmed': {
      get: {
        summary:
          "Unconfirmed card purchases and reversals (未确认交易查询): the kiosk's open ones with the action that applies, and HQ's list (operator)",
        security: OPERATOR,
        parameters: [
          {
            name: 'customerNo',
            in: 'query',
            required: false,
            description: 'one customer (6–20 digits)',
            schema: { type: 'string', pattern: '^\\d{6,20}$' },
          },
          {
            name: 'cardToken',
            in: 'query',
            required: false,
            description: 'the customer of a card read (instead of customerNo)',
            schema: { type: 'string' },
          },
          {
            name: 'date',
            in: 'query',
            required: false,
            description: 'one business date (yyyymmdd)',
            schema: { type: 'string', pattern: '^\\d{8}$' },
          },
        ],
        responses: {
          '200': {
            description: 'The two lists (card numbers masked)',
            content: json(ref('CardUnconfirmed')),
          },
          ...errors,
        },
      },
    },
  };
}
