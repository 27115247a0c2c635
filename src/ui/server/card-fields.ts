import type { FastifyRequest } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import type { ServiceDefinition } from '../../core/transaction/types.ts';
import { authOf } from './auth.ts';
import type { ServerContext } from './context.ts';

/** The client a card read belongs to: the operator session's code, or null for the customer's screen. */
export function cardHolderOf(req: FastifyRequest, ctx: ServerContext): string | null {
  return authOf(req, ctx.sessions).session?.code ?? null;
}

/**
 * The input of a service with fields taken from the card (`fieldMeta.fromCard`): when it carries a
 * `cardToken`, those fields are filled from the card in the reader, read again now (CardReads), and
 * the token is dropped. A value the client also typed must be the card's. Any other input is
 * returned unchanged, so a service without such fields refuses `cardToken` as an unknown field.
 */
export async function fillFromCard<T>(
  ctx: ServerContext,
  req: FastifyRequest,
  def: ServiceDefinition | undefined,
  input: T,
  /** The fields the request takes (an action's confirmation fields); all of them by default. */
  accepts?: readonly string[],
): Promise<T> {
  if (!def || !input || typeof input !== 'object' || Array.isArray(input)) return input;
  const body = input as Record<string, unknown>;
  const filled = Object.entries(def.fieldMeta).filter(
    ([name, m]) => m.fromCard !== undefined && (!accepts || accepts.includes(name)),
  );
  if (filled.length === 0 || !('cardToken' in body)) return input;
  const card = await ctx.cardReads.resolve(body.cardToken, cardHolderOf(req, ctx));
  const { cardToken: _token, ...rest } = body;
  for (const [name, meta] of filled) {
    const value = card[meta.fromCard as keyof typeof card];
    const typed = rest[name];
    if (typed !== undefined && String(typed).trim().toUpperCase() !== value.toUpperCase())
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: name,
        zh: `${meta.zh}与读卡器中的电卡不符`,
        en: `${meta.en.toLowerCase()} does not match the card in the reader`,
      });
    rest[name] = value;
  }
  return rest as T;
}
