/**
 * How the journal's LevelDB store is opened. Its native memory sits outside V8's heap limit, so it
 * is bounded here: the block cache (uncompressed blocks of table files kept for reads) holds 2 MiB,
 * not LevelDB's 8 MiB — the kiosk reads mostly what it has just written (still in the memtable), and
 * a whole-store read (`journal verify`, a year's report) would otherwise leave 8 MiB resident for
 * good. The write buffer (memtable, at most two while one is flushed) stays at 4 MiB: measured on
 * 10,000 transactions of journal-sized records, 2 MiB writes 14 % more bytes (1 MiB: 48 % more),
 * and bytes written is what wears the SD card out.
 */
export const JOURNAL_STORE_OPTIONS = {
  keyEncoding: 'utf8',
  valueEncoding: 'utf8',
  /** Bytes. */
  cacheSize: 2 * 1024 * 1024,
  /** Bytes. */
  writeBufferSize: 4 * 1024 * 1024,
} as const;
