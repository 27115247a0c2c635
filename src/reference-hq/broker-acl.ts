import { HQ_TOPICS, PROTOCOL_VERSION, STATION_RE } from '../protocol/topics.ts';
import { ADMIN_USER, HQ_USER } from './broker-credentials.ts';

/**
 * Who a client of the embedded broker is, once logged in, and what each identity may do: the same
 * rules as the shipped Mosquitto configuration (config/mosquitto/: the kiosk rules of
 * `mosquitto-dynsec.ts` and `acl-hq`), plus the client-id binding Mosquitto
 * gets from `use_identity_as_username` and `clientid` checks. Pure.
 */
export type BrokerIdentity =
  | { kind: 'hq' }
  | { kind: 'admin'; clientId: string }
  | { kind: 'kiosk'; station: string };

const HQ_CLIENT_RE = /^hq-[\w.-]{1,60}$/;
const ADMIN_CLIENT_RE = /^kiosk-hq-cli-[\w-]{1,40}$/;

/**
 * The identity of a logged-in user connecting with `clientId`; null when the client id is not
 * one that user may use (a kiosk only its own station id, so no one can take over its session).
 */
export function identityOf(username: string, clientId: string): BrokerIdentity | null {
  if (username === HQ_USER) return HQ_CLIENT_RE.test(clientId) ? { kind: 'hq' } : null;
  if (username === ADMIN_USER) return ADMIN_CLIENT_RE.test(clientId) ? { kind: 'admin', clientId } : null;
  if (STATION_RE.test(username)) return clientId === username ? { kind: 'kiosk', station: username } : null;
  return null;
}

function inTree(topic: string, root: string): boolean {
  return topic.startsWith(`${root}/`);
}

/** Whether `who` may publish on `topic` (never with wildcards: the broker refuses those itself). */
export function mayPublish(who: BrokerIdentity, prefix: string, topic: string): boolean {
  if (topic.includes('+') || topic.includes('#') || topic.startsWith('$')) return false;
  switch (who.kind) {
    case 'hq':
      return inTree(topic, `${prefix}/${PROTOCOL_VERSION}`) || inTree(topic, 'hq/v1');
    case 'admin':
      return topic === HQ_TOPICS.adminRequest || topic === HQ_TOPICS.control;
    case 'kiosk':
      return inTree(topic, `${prefix}/${PROTOCOL_VERSION}/${who.station}/up`);
  }
}

/** Whether `who` may subscribe to `filter`. Only HQ may use a shared subscription. */
export function maySubscribe(who: BrokerIdentity, prefix: string, filter: string): boolean {
  switch (who.kind) {
    case 'hq': {
      const inner = /^\$share\/[\w-]+\/(.+)$/.exec(filter)?.[1] ?? filter;
      return inTree(inner, `${prefix}/${PROTOCOL_VERSION}`) || inTree(inner, 'hq/v1');
    }
    case 'admin':
      return filter === HQ_TOPICS.adminResponse(who.clientId);
    case 'kiosk':
      return inTree(filter, `${prefix}/${PROTOCOL_VERSION}/${who.station}/down`);
  }
}
