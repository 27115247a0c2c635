/**
 * Child process: imports the module named by argv[2] (a path under the project) and prints, as
 * one JSON array on stdout, the URL of every module that import loaded, static and dynamic, as
 * Node's loader resolved them. Run with `node --import tsx`.
 */
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';

// Module hooks run on their own thread; each resolved URL comes back over this port.
const HOOKS = `let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  port.postMessage(r.url);
  return r;
}`;

const entry = process.argv[2];
if (!entry) throw new Error('usage: imported-modules.ts <module path>');
const seen = new Set<string>();
const { port1, port2 } = new MessageChannel();
register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, {
  data: { port: port2 },
  transferList: [port2],
});
await import(pathToFileURL(join(process.cwd(), entry)).href);
// Each URL was posted before its resolve step returned, so all are queued on the port by now.
for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) seen.add(m.message as string);
port1.close();
process.stdout.write(`${JSON.stringify([...seen])}\n`);
