import type { Presence, Telemetry } from '../protocol/schemas/index.ts';
import type { StationInfo } from './billers/biller.ts';
import type { HqStore } from './store.ts';

export interface StationRecord {
  station: string;
  online: boolean;
  /** Last message of any kind, epoch ms (HQ's clock). */
  lastSeen: number;
  onlineSince: number | null;
  offlineSince: number | null;
  offlineReason: string | null;
  birth: Presence | null;
  telemetry: Telemetry | null;
  telemetryAt: number | null;
  /** HQ's own records: the bound card terminal. */
  terminal: { terminalNo: string | null; status: 'enabled' | 'disabled' } | null;
}

const key = (s: string) => `st:${s}`;

/** HQ's registry of stations: presence from birth / Last Will, last telemetry, terminal binding. */
export class Stations {
  constructor(
    private readonly store: HqStore,
    private readonly now: () => number,
  ) {}

  async get(station: string): Promise<StationRecord | undefined> {
    return this.store.get<StationRecord>(key(station));
  }

  async list(): Promise<StationRecord[]> {
    return (await this.store.list<StationRecord>('st:')).map(([, v]) => v);
  }

  private async update(station: string, fn: (r: StationRecord) => StationRecord): Promise<StationRecord> {
    return this.store.withLock(key(station), async () => {
      const cur = (await this.get(station)) ?? {
        station,
        online: false,
        lastSeen: 0,
        onlineSince: null,
        offlineSince: null,
        offlineReason: null,
        birth: null,
        telemetry: null,
        telemetryAt: null,
        terminal: null,
      };
      const next = fn(cur);
      await this.store.put(key(station), next);
      return next;
    });
  }

  /** Applies a presence message; returns the record and whether the station just came online. */
  async presence(p: Presence): Promise<{ record: StationRecord; cameOnline: boolean }> {
    let cameOnline = false;
    const now = this.now();
    const record = await this.update(p.station, (r) => {
      if (p.online) {
        cameOnline = !r.online || r.birth?.at !== p.at;
        return {
          ...r,
          online: true,
          lastSeen: now,
          onlineSince: now,
          offlineSince: null,
          offlineReason: null,
          birth: p,
        };
      }
      return { ...r, online: false, lastSeen: now, offlineSince: now, offlineReason: p.reason };
    });
    return { record, cameOnline };
  }

  async telemetry(t: Telemetry): Promise<void> {
    const now = this.now();
    await this.update(t.station, (r) => ({ ...r, lastSeen: now, telemetry: t, telemetryAt: now }));
  }

  async seen(station: string): Promise<void> {
    const now = this.now();
    await this.update(station, (r) => ({ ...r, lastSeen: now }));
  }

  async setTerminal(station: string, terminal: StationRecord['terminal']): Promise<void> {
    await this.update(station, (r) => ({ ...r, terminal }));
  }

  /** What billers may know about a station. */
  async info(station: string): Promise<StationInfo> {
    const r = await this.get(station);
    return {
      ...(r?.birth?.region ? { region: r.birth.region } : {}),
      ...(r?.birth?.services ? { services: r.birth.services } : {}),
      ...(r?.terminal ? { terminal: r.terminal } : {}),
    };
  }

  /** Stations addressed by a target: one station, a group (or city), or all known. */
  async resolve(target: { station?: string; group?: string; all?: boolean }): Promise<string[]> {
    if (target.station) return [target.station];
    const all = await this.list();
    if (target.all) return all.map((r) => r.station);
    const g = target.group;
    return all
      .filter((r) => g !== undefined && (r.birth?.groups?.includes(g) || r.birth?.region?.city === g))
      .map((r) => r.station);
  }
}
