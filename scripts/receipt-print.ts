/**
 * Prints the sample receipt on a real printer through the usblp driver, for commissioning a kiosk:
 *
 *   npx tsx scripts/receipt-print.ts [--device /dev/usb/lp0] [--width 58|80]
 *     [--command-set escpos|generic] [--no-status] [--reprint]
 *
 * Shows the printer's status first and the job's outcome after. `--no-status` for printers that
 * do not answer DLE EOT; `--command-set generic` when the QR code does not print (GS v 0 raster).
 * The user needs write access to the node (group `lp` on Raspberry Pi OS).
 */
import { parseArgs } from 'node:util';
import { PrintError } from '../devices/printer/printer.ts';
import { UsblpPrinter } from '../devices/printer/usblp-printer.ts';
import { layoutReceipt, type PaperWidth } from '../src/receipts/layout.ts';
import { encodeEscPos } from '../src/receipts/render.ts';
import { sampleReceipt } from '../src/receipts/sample-receipt.ts';

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: '/dev/usb/lp0' },
    width: { type: 'string', default: '58' },
    'command-set': { type: 'string', default: 'escpos' },
    'no-status': { type: 'boolean', default: false },
    reprint: { type: 'boolean', default: false },
  },
});

const commandSet = values['command-set'];
if (
  (values.width !== '58' && values.width !== '80') ||
  (commandSet !== 'escpos' && commandSet !== 'generic')
) {
  process.stderr.write(
    'usage: receipt-print.ts [--device PATH] [--width 58|80] [--command-set escpos|generic]\n',
  );
  process.exit(2);
}
const paperWidth = Number(values.width) as PaperWidth;
const printer = new UsblpPrinter({
  device: values.device,
  paperWidth,
  realtimeStatus: !values['no-status'],
  statusPollMs: 1000,
  statusTimeoutMs: 500,
  stallTimeoutMs: 15_000,
});
await printer.start();
const say = (s: string) => process.stdout.write(`${s}\n`);
say(`health: ${JSON.stringify(printer.health())}`);
say(`status: ${JSON.stringify(await printer.status())}`);
const receipt = sampleReceipt(
  values.reprint ? { reprint: true, reprintedAt: Date.now() } : { time: Date.now() },
);
const bytes = encodeEscPos(layoutReceipt(receipt, paperWidth), {
  paperWidth,
  commandSet,
  encoding: 'cp936',
  cut: true,
});
let code = 0;
try {
  const r = await printer.print(bytes, `commissioning-${Date.now()}`);
  say(`printed ${r.bytes} bytes`);
} catch (e) {
  code = 1;
  if (e instanceof PrintError) say(`failed: ${e.code} ${e.zh} / ${e.en} (${e.bytesWritten} bytes sent)`);
  else throw e;
} finally {
  await printer.stop();
}
process.exit(code);
