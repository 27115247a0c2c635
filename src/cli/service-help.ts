import type { z } from 'zod';
import { ruleOf } from '../core/transaction/fields.ts';
import type { ServiceDefinition } from '../core/transaction/types.ts';

/**
 * Help text for `kiosk pay`, built from the service definitions the kiosk runs (the same ones the
 * HTTP API describes), so what the help says is what the kiosk checks.
 */
export function servicesHelp(services: readonly ServiceDefinition[]): string {
  const width = Math.max(...services.map((s) => s.id.length));
  const lines = services.map((s) => `  ${s.id.padEnd(width)}  ${s.title.zh} ${s.title.en}`);
  return [
    '',
    '业务 Services (kiosk pay SERVICE --help lists its fields):',
    ...lines,
    '',
    'Which of them a station offers, and their fees, come from HQ (GET /api/services).',
  ].join('\n');
}

/** Fields, their rules, the service's extra rules and an example line of one service. */
export function serviceHelp(def: ServiceDefinition): string {
  const shape = def.fields.shape as Record<string, z.ZodType>;
  const names = Object.keys(shape);
  const width = Math.max(...names.map((n) => n.length));
  const out = ['', `${def.title.zh} ${def.title.en} (${def.id})`, '', '字段 Fields:'];
  for (const name of names) {
    const meta = def.fieldMeta[name];
    const label = meta ? `${meta.zh} ${meta.en}` : name;
    out.push(`  ${name.padEnd(width)}  ${label}`);
    const rule = ruleOf(shape[name] as z.ZodType);
    if (rule) out.push(`  ${' '.repeat(width)}    ${rule.zh} / ${rule.en}`);
  }
  if (def.hints?.length) {
    out.push('', '规则 Rules:');
    for (const h of def.hints) out.push(`  - ${h.zh} / ${h.en}`);
  }
  if (def.inquiry) {
    out.push('', `先向总部查询 Asked of HQ first: ${def.inquiry.fields.join(', ')}`);
  }
  const example = def.example
    ? names.map((n) => `${n}=${def.example?.[n] ?? `<${n}>`}`)
    : names.map((n) => `${n}=<${n}>`);
  out.push('', '示例 Example:', `  kiosk pay ${def.id} ${example.join(' ')}`);
  return out.join('\n');
}
