/**
 * Layering rule for configuration: plain objects merge key by key, everything else (arrays,
 * strings, numbers) is replaced by the higher layer. Pure.
 */
export function mergeLayers(...layers: readonly unknown[]): unknown {
  let out: unknown;
  for (const layer of layers) {
    if (layer === undefined) continue;
    out = mergeTwo(out, layer);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeTwo(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return structuredClone(over);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeTwo(base[k], v) : structuredClone(v);
  return out;
}
