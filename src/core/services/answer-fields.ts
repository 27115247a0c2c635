import { z } from 'zod';

/**
 * Building blocks of the schemas of HQ's answers to inquiries. Every one is bounded (text length,
 * list length), so an answer cannot carry more than the kiosk could show or keep.
 */

/** An amount in yuan as HQ writes it: digits with at most two decimals ("88.50"). */
export const yuanText = z.string().regex(/^\d{1,9}(\.\d{1,2})?$/);

/** A name, place or number shown to people: 1 to `max` characters. */
export const answerText = (max = 40) => z.string().min(1).max(max);

/** A list of at most `max` items. */
export const answerList = <T extends z.ZodType>(item: T, max = 200) => z.array(item).max(max);
