/** One station whose kiosk and HQ disagree, fen. */
export interface LedgerDifference {
  station: string;
  kioskFen: number | null;
  heldFen: number;
  hqFen: number | null;
}

/**
 * Every kiosk's balance against HQ's account of the station, to the fen: a difference is a
 * different balance, money still held at the kiosk, or a station only one side knows.
 */
export function ledgerCheck(
  kiosks: Record<string, { balanceFen: number; heldFen: number }>,
  hq: ReadonlyMap<string, number>,
): { checked: number; differences: number; diffFen: number; details: LedgerDifference[] } {
  const details: LedgerDifference[] = [];
  let diffFen = 0;
  const stations = new Set([...Object.keys(kiosks), ...hq.keys()]);
  for (const station of stations) {
    const k = kiosks[station];
    const h = hq.get(station);
    if (k && h !== undefined && k.balanceFen === h && k.heldFen === 0) continue;
    diffFen += Math.abs((k?.balanceFen ?? 0) - (h ?? 0)) + (k?.heldFen ?? 0);
    details.push({ station, kioskFen: k?.balanceFen ?? null, heldFen: k?.heldFen ?? 0, hqFen: h ?? null });
  }
  return { checked: stations.size, differences: details.length, diffFen, details };
}

/** The q-quantile (0–1) of ascending `sorted` values, nearest rank; 0 when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
