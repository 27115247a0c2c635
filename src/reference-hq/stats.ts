/** yyyymm of the month `back` months before `month`. */
export function monthBefore(month: string, back: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(4, 6)) - 1 - back;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${yy}${String(mm + 1).padStart(2, '0')}`;
}

export interface MonthlyRow {
  station: string;
  month: string;
  count: number;
  /** The two months before, oldest first. */
  previous: [number, number];
  /** Exit mechanism (退出机制): no transaction this month, or < 20 a month for three months running. */
  exit: 'no-transactions' | 'under-20-three-months' | null;
}

export const EXIT_MIN_PER_MONTH = 20;

/** Monthly counts per station with the exit flag. Pure. */
export function monthlyStats(
  counts: ReadonlyArray<{ station: string; byMonth: Record<string, number> }>,
  month: string,
): MonthlyRow[] {
  return counts
    .map(({ station, byMonth }) => {
      const count = byMonth[month] ?? 0;
      const p1 = byMonth[monthBefore(month, 1)] ?? 0;
      const p2 = byMonth[monthBefore(month, 2)] ?? 0;
      let exit: MonthlyRow['exit'] = null;
      if (count === 0) exit = 'no-transactions';
      else if ([count, p1, p2].every((n) => n < EXIT_MIN_PER_MONTH)) exit = 'under-20-three-months';
      return { station, month, count, previous: [p2, p1] as [number, number], exit };
    })
    .sort((a, b) => a.station.localeCompare(b.station));
}
