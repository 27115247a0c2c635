import { type Command, CommanderError } from 'commander';
import { EXIT } from './exit-codes.ts';

/** Runs a command's action and turns its result or error into the process exit code. */
export type Runner = (fn: () => Promise<number>) => void;

/** How a CLI reports an error (`json` when `--json` was given); returns the exit code. */
export type ErrorReporter = (e: unknown, json: boolean) => number;

/**
 * Registers the commands with a shared runner and parses the command line: usage errors exit 2,
 * `--help` exits 0, and every other failure goes through `report`.
 */
export async function runProgram(
  program: Command,
  register: ReadonlyArray<(program: Command, run: Runner) => void>,
  report: ErrorReporter,
): Promise<void> {
  const json = process.argv.includes('--json');
  const run: Runner = (fn) => {
    fn().then(
      (code) => {
        process.exitCode = code;
      },
      (e: unknown) => {
        process.exitCode = report(e, json);
      },
    );
  };
  for (const r of register) r(program, run);
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT.OK : EXIT.USAGE;
    } else {
      process.exitCode = report(e, json);
    }
  }
}
