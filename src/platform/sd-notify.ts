import { execFile } from 'node:child_process';

/**
 * systemd readiness and watchdog through `systemd-notify` (the unit sets NotifyAccess=all). Node has
 * no unix datagram sockets, so the notification goes through the helper binary. Does nothing
 * outside systemd (no NOTIFY_SOCKET).
 */
export function sdNotify(state: string): void {
  if (!process.env.NOTIFY_SOCKET) return;
  execFile('systemd-notify', [state], () => undefined);
}

/** Starts watchdog pings at half the interval systemd asks for; returns a stop function. */
export function startWatchdog(isHealthy: () => boolean): () => void {
  const usec = Number(process.env.WATCHDOG_USEC ?? 0);
  if (!process.env.NOTIFY_SOCKET || !usec) return () => undefined;
  const timer = setInterval(
    () => {
      if (isHealthy()) sdNotify('WATCHDOG=1');
    },
    Math.max(1000, usec / 2000),
  );
  timer.unref();
  return () => clearInterval(timer);
}
