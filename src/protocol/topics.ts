/**
 * The topic tree, version 1. Everything a kiosk publishes is under `<prefix>/v1/<station>/up/…` and
 * everything it receives under `<prefix>/v1/<station>/down/…`, so one ACL pattern per direction
 * confines a kiosk to its own station (Mosquitto: `pattern write <prefix>/v1/%u/up/#`). HQ's own
 * channels (`hq/v1/…`) are closed to kiosks.
 */
export const PROTOCOL_VERSION = 'v1';

/** Messages a kiosk publishes, by the last topic level(s) below `up/`. */
export const UP = {
  /** Retained birth / Last Will: online state, versions, devices, certificate expiry. */
  presence: 'presence',
  telemetry: 'telemetry',
  /** Journal relay batches (QoS 1), acknowledged on `down/ack`. */
  journal: 'journal',
  /** Transaction requests; the answer goes to the envelope's `replyTo`. */
  request: 'req',
  /** Outcome of every HQ command, including rejections. */
  commandResult: 'cmd-result',
  /** Reports HQ asked for. */
  report: 'report',
} as const;

/** Messages a kiosk receives below `down/`; all of them signed by HQ. */
export const DOWN = {
  response: 'res',
  ack: 'ack',
  /** `down/cmd/<command>`. */
  command: 'cmd',
} as const;

export const COMMANDS = [
  'notice',
  'notice-withdraw',
  'config',
  'config-rollback',
  'balance',
  'services',
  'terminal',
  'report',
  'journal-resend',
  'settlement-check',
  'guide',
  'request',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export type UpKind = keyof typeof UP;

export function stationRoot(prefix: string, station: string): string {
  return `${prefix}/${PROTOCOL_VERSION}/${station}`;
}

export function upTopic(prefix: string, station: string, kind: UpKind): string {
  return `${stationRoot(prefix, station)}/up/${UP[kind]}`;
}

export function responseTopic(prefix: string, station: string): string {
  return `${stationRoot(prefix, station)}/down/${DOWN.response}`;
}

export function ackTopic(prefix: string, station: string): string {
  return `${stationRoot(prefix, station)}/down/${DOWN.ack}`;
}

export function commandTopic(prefix: string, station: string, cmd: CommandName): string {
  return `${stationRoot(prefix, station)}/down/${DOWN.command}/${cmd}`;
}

/** The one subscription a kiosk needs. */
export function kioskSubscription(prefix: string, station: string): string {
  return `${stationRoot(prefix, station)}/down/#`;
}

/** HQ's subscription filter for one up-kind of every kiosk, optionally shared (`$share/<group>/…`). */
export function hqFilter(prefix: string, kind: UpKind, shareGroup: string | null): string {
  const filter = `${prefix}/${PROTOCOL_VERSION}/+/up/${UP[kind]}`;
  return shareGroup ? `$share/${shareGroup}/${filter}` : filter;
}

export interface ParsedTopic {
  station: string;
  direction: 'up' | 'down';
  rest: string[];
}

/** Splits a kiosk topic; null when it is not in this prefix's v1 tree. */
export function parseTopic(prefix: string, topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length < 5 || parts[0] !== prefix || parts[1] !== PROTOCOL_VERSION) return null;
  const station = parts[2] as string;
  const direction = parts[3];
  if (direction !== 'up' && direction !== 'down') return null;
  return { station, direction, rest: parts.slice(4) };
}

/** HQ's internal channels: fault-injection control and the `kiosk-hq` admin RPC. */
export const HQ_TOPICS = {
  control: 'hq/v1/control',
  adminRequest: 'hq/v1/admin/req',
  adminResponse: (clientId: string): string => `hq/v1/admin/res/${clientId}`,
} as const;

/** Station ids are the 8-digit institution numbers (机构号). */
export const STATION_RE = /^\d{8}$/;
