import { type Command, Option } from 'commander';
import { sdNotify, startWatchdog } from '../../platform/sd-notify.ts';
import type { GlobalOptions } from '../with-app.ts';

/** Shutdown must finish within this, or the process exits anyway (systemd would kill it). */
const SHUTDOWN_DEADLINE_MS = 15_000;

export function registerStart(program: Command, run: (fn: () => Promise<number>) => void): void {
  program
    .command('start')
    .description('启动服务亭 / start the kiosk (embedded defaults unless --config is given)')
    .addOption(
      new Option(
        '--log-format <format>',
        '日志格式 / log format: readable lines on a terminal, JSON under systemd and into files (auto)',
      ).choices(['auto', 'pretty', 'json']),
    )
    .action((cmd: { logFormat?: 'auto' | 'pretty' | 'json' }) =>
      run(async () => {
        const opts = program.opts<GlobalOptions>();
        const { KioskApp } = await import('../../app/kiosk-app.ts');
        const app = new KioskApp({
          configFile: opts.config,
          ...(cmd.logFormat ? { overrides: { log: { format: cmd.logFormat } } } : {}),
        });
        await app.start();
        sdNotify('--ready');
        const stopWatchdog = startWatchdog(() => app.journal.faulted === null || app.journalRecovering);
        process.stdout.write(`便民服务亭已启动 kiosk running: ${app.url ?? '(no local server)'}\n`);
        return new Promise<number>((resolve) => {
          let stopping = false;
          const stop = (signal: string): void => {
            if (stopping) return;
            stopping = true;
            app.logger.info({ signal }, 'shutting down');
            stopWatchdog();
            // The deadline ends the process itself, whatever is still pending: systemd's
            // TimeoutStopSec (20 s) is longer, so the kiosk always exits before it is killed. Open
            // transactions are in the journal and resume at the next start.
            const force = setTimeout(() => {
              app.logger.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown deadline passed; exiting');
              app.logger.flush();
              process.exit(1);
            }, SHUTDOWN_DEADLINE_MS);
            force.unref();
            app.stop(SHUTDOWN_DEADLINE_MS - 2000).then(
              () => {
                resolve(0);
                // Everything is closed; a handle left open by a library must not hold the exit.
                setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
              },
              (e: unknown) => {
                app.logger.error({ err: e }, 'shutdown failed');
                resolve(1);
              },
            );
          };
          process.once('SIGTERM', () => stop('SIGTERM'));
          app.once('shutdown-requested', (why) => stop(why));
          process.once('SIGINT', () => stop('SIGINT'));
        });
      }),
    );
}
