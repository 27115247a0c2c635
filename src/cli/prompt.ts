import { createInterface } from 'node:readline';

let stdinLines: string[] | undefined;

async function readAllStdin(): Promise<string[]> {
  if (stdinLines) return stdinLines;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  stdinLines = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  return stdinLines;
}

/**
 * Reads a secret: from the terminal without echo, or, when stdin is not a terminal (scripts),
 * the next line of stdin. Never from the command line, where `ps` would show it.
 */
export async function readSecret(label: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const lines = await readAllStdin();
    return lines.shift() ?? '';
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
  process.stderr.write(label);
  out._writeToOutput = (s: string) => {
    if (s.includes('\n') || s.includes('\r')) out.output.write('\n');
  };
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  return answer;
}
