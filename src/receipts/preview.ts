import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/**
 * PNG previews of receipt SVGs through Debian's `rsvg-convert` (package librsvg2-bin). Chinese
 * glyphs come from whatever CJK font fontconfig finds (Unifont from the `unifont`/`fonts-unifont`
 * packages on the kiosk image).
 */
export async function findRsvgConvert(pathEnv = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'rsvg-convert');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export interface PngOptions {
  /** Path of rsvg-convert; looked up on PATH when absent. */
  rsvgConvert?: string;
  /** Scale factor (1 = one pixel per printer dot). */
  zoom?: number;
}

/**
 * Writes `svg` as a PNG on a white background to `outPath`. Resolves false (and writes nothing)
 * when rsvg-convert is not installed; rejects when it fails on the input.
 */
export async function writePng(svg: string, outPath: string, opts: PngOptions = {}): Promise<boolean> {
  const bin = opts.rsvgConvert ?? (await findRsvgConvert());
  if (!bin) return false;
  const args = ['-b', 'white', '-z', String(opts.zoom ?? 1), '-o', outPath];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`rsvg-convert exited with ${code}: ${stderr.trim()}`));
    });
    child.stdin.on('error', reject);
    child.stdin.end(svg);
  });
  return true;
}
