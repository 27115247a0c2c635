import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';
import type { GlobalOptions } from '../with-app.ts';

export function registerConfig(program: Command, run: (fn: () => Promise<number>) => void): void {
  program
    .command('config')
    .description('配置 / configuration')
    .command('check [file]')
    .description('检查配置文件，列出全部错误 / validate a config file over the defaults, listing every error')
    .option('--json', 'print the effective configuration as JSON')
    .action((file: string | undefined, opts: GlobalOptions) =>
      run(async () => {
        const loaded = await loadConfig({ file: file ?? program.opts<GlobalOptions>().config });
        if (opts.json) printJson(loaded.config);
        else process.stdout.write(`配置有效 configuration valid (${loaded.sources.join(' → ')})\n`);
        return EXIT.OK;
      }),
    );
}
