import { statfs } from 'node:fs/promises';
import type { BalanceService } from '../balance/balance-service.ts';
import type { KioskConfig } from '../config/schema.ts';
import type { Journal } from '../journal/journal.ts';
import type { CertStatus, Presence, Telemetry } from '../protocol/schemas/index.ts';

export interface DeviceHealthLike {
  state: 'ok' | 'degraded' | 'offline';
  driver: string;
  since: number;
  reason?: { code: string; zh: string; en: string };
}

export interface TelemetrySources {
  station: string;
  journal: Journal;
  balance: BalanceService;
  config: KioskConfig;
  devices: Record<string, DeviceHealthLike>;
  safeMode: boolean;
  cert: CertStatus;
  now: number;
  uptimeSec: number;
}

const MAX_OPEN_ITEMS = 20;

/** One telemetry message from the kiosk's current state. Reads the journal; writes nothing. */
export async function buildTelemetry(s: TelemetrySources): Promise<Telemetry> {
  const serials = await s.journal.openSerials();
  const items: Telemetry['open']['items'] = [];
  for (const serial of serials.slice(0, MAX_OPEN_ITEMS)) {
    const t = await s.journal.getTxn(serial);
    if (t) items.push({ serial, service: t.service, state: t.state, since: t.stateSince });
  }
  const oldest = await s.journal.outboxSeqs(0, 1);
  const b = s.balance.summary();
  let disk: Telemetry['disk'] = null;
  try {
    const st = await statfs(s.journal.path);
    disk = { freeBytes: st.bavail * st.bsize, totalBytes: st.blocks * st.bsize };
  } catch {
    disk = null;
  }
  return {
    v: 1,
    station: s.station,
    at: s.now,
    uptimeSec: s.uptimeSec,
    devices: s.devices,
    balance: { balance: b.balance, held: b.held, available: b.available, low: b.low },
    open: { count: serials.length, items },
    outbox: {
      depth: s.journal.outboxDepth(),
      oldestSeq: oldest[0] ?? null,
      lastSeq: s.journal.lastCounters.event,
    },
    disk,
    safeMode: s.safeMode,
    cert: s.cert,
  };
}

export interface BirthSources {
  station: string;
  config: KioskConfig;
  configVersion: number | null;
  devices: Record<string, DeviceHealthLike>;
  cert: CertStatus;
  software: { name: string; version: string };
  now: number;
}

export function buildBirth(s: BirthSources): Presence {
  return {
    v: 1,
    station: s.station,
    online: true,
    at: s.now,
    reason: 'birth',
    software: s.software,
    stationName: s.config.stationName,
    region: s.config.region,
    groups: s.config.hq.groups,
    config: { version: s.configVersion },
    services: s.config.services.enabled,
    devices: s.devices,
    cert: s.cert,
  };
}

export function buildOffline(station: string, now: number, reason: 'lwt' | 'shutdown'): Presence {
  return { v: 1, station, online: false, at: now, reason };
}
