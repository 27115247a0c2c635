import { createHash, randomBytes } from 'node:crypto';
import { constants, type Dirent } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { KioskError } from '../core/errors.ts';

/** Where statements are looked for (`reports.statements` with `dataDir`). */
export interface StatementFoldersConfig {
  dataDir: string;
  dir: string | null;
  media: readonly string[];
}

export interface StatementFolder {
  path: string;
  /** The kiosk's own folder, or a removable medium. */
  kind: 'kiosk' | 'media';
}

/** A statement file as the listing offers it; clients name it by `id`, never by a path. */
export interface StatementFile {
  id: string;
  name: string;
  folder: string;
  kind: StatementFolder['kind'];
  /** Bytes. */
  size: number;
  /** Last modification, epoch ms. */
  modifiedAt: number;
}

/** Folders one media pattern may expand to, and files listed per folder. */
const MAX_FOLDERS = 64;
const MAX_FILES = 200;
/** Names offered: `*.csv`, printable, not hidden, not a differences export. */
const isStatementName = (n: string) =>
  n.length <= 120 &&
  !n.startsWith('.') &&
  ![...n].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20 || ch === '\u007f' || ch === '\\') &&
  /\.csv$/i.test(n) &&
  !/\.differences\.csv$/i.test(n);

/** The listing id of a file: a digest of its folder and name (16 hex digits). */
const idOf = (folder: string, name: string) =>
  createHash('sha256').update(`${folder}\u0000${name}`).digest('hex').slice(0, 16);

const notFound = () =>
  new KioskError('KIOSK_E_NOT_FOUND', {
    field: 'statement',
    zh: '没有这个对账文件，请重新选择',
    en: 'no such statement file; choose one from the list again',
  });

/**
 * The statements folders: the kiosk's own (created when missing) and every removable medium the
 * configured patterns find. Only regular files directly inside a folder are listed, read and
 * written; a link is never followed (entries are read without following, files opened with
 * O_NOFOLLOW), and a file is found only by the id its listing gave.
 */
export class StatementFolders {
  constructor(
    private readonly config: () => StatementFoldersConfig,
    private readonly cwd = process.cwd(),
  ) {}

  /** The kiosk's own statements folder (absolute). */
  ownDir(): string {
    const c = this.config();
    return resolve(this.cwd, c.dir ?? join(c.dataDir, 'statements'));
  }

  async folders(): Promise<StatementFolder[]> {
    const own = this.ownDir();
    await mkdir(own, { recursive: true, mode: 0o750 }).catch(() => undefined);
    const out: StatementFolder[] = [];
    if (await isRealDir(own)) out.push({ path: own, kind: 'kiosk' });
    const seen = new Set(out.map((f) => f.path));
    for (const pattern of this.config().media)
      for (const path of await expand(pattern))
        if (!seen.has(path)) {
          seen.add(path);
          out.push({ path, kind: 'media' });
        }
    return out;
  }

  /** Every statement in every folder, newest first. */
  async list(): Promise<StatementFile[]> {
    const files: StatementFile[] = [];
    for (const f of await this.folders()) {
      const entries = await readdir(f.path, { withFileTypes: true }).catch(() => [] as Dirent[]);
      let n = 0;
      for (const e of entries) {
        if (!e.isFile() || !isStatementName(e.name) || ++n > MAX_FILES) continue;
        const info = await lstat(join(f.path, e.name)).catch(() => null);
        if (!info?.isFile()) continue;
        files.push({
          id: idOf(f.path, e.name),
          name: e.name,
          folder: f.path,
          kind: f.kind,
          size: info.size,
          modifiedAt: Math.trunc(info.mtimeMs),
        });
      }
    }
    return files.sort((a, b) => b.modifiedAt - a.modifiedAt || a.name.localeCompare(b.name));
  }

  /** The listed file with this id; refused naming `statement` otherwise. */
  async find(id: string): Promise<StatementFile> {
    if (!/^[0-9a-f]{16}$/.test(id)) {
      throw new KioskError('KIOSK_E_INVALID_INPUT', {
        field: 'statement',
        zh: '对账文件编号应为列表给出的 16 位编号',
        en: 'statement must be the 16-character id the list gives',
      });
    }
    const hit = (await this.list()).find((f) => f.id === id);
    if (!hit) throw notFound();
    return hit;
  }

  /** Opens a listed file for one read, without following a link put in its place. */
  opener(file: StatementFile): () => Promise<Readable> {
    return async () => {
      const fh = await open(
        join(file.folder, file.name),
        constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
      ).catch(() => {
        throw notFound();
      });
      const info = await fh.stat();
      if (!info.isFile()) {
        await fh.close();
        throw notFound();
      }
      return fh.createReadStream();
    };
  }

  /**
   * Writes `<name>.differences.csv` next to a listed statement: `write` fills a new hidden file
   * (created exclusively), which then replaces the export by rename (a link there is replaced,
   * never followed). Returns the export's name.
   */
  async writeBeside(file: StatementFile, write: (path: string) => Promise<void>): Promise<string> {
    const name = `${file.name}.differences.csv`;
    const tmp = join(file.folder, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await write(tmp);
      await rename(tmp, join(file.folder, name));
    } catch (e) {
      await rm(tmp, { force: true });
      throw e instanceof KioskError ? e : notWritable(file.folder, e);
    }
    return name;
  }
}

function notWritable(folder: string, e: unknown): KioskError {
  const code = (e as { code?: string }).code ?? 'EIO';
  return new KioskError('KIOSK_E_ACTION_NOT_ALLOWED', {
    field: 'folder',
    zh: `无法写入对账文件所在文件夹 ${folder}（${code}），请检查 U 盘是否只读或已满`,
    en: `cannot write into the statement's folder ${folder} (${code}); the medium may be read-only or full`,
  });
}

async function isRealDir(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => null);
  return info?.isDirectory() ?? false;
}

/** The real folders (never links) an absolute pattern names; `*` is any one folder not hidden. */
async function expand(pattern: string): Promise<string[]> {
  let dirs = ['/'];
  for (const seg of pattern.split('/').filter((s) => s !== '')) {
    const next: string[] = [];
    for (const d of dirs) {
      if (seg !== '*') {
        if (await isRealDir(join(d, seg))) next.push(join(d, seg));
        continue;
      }
      const entries = await readdir(d, { withFileTypes: true }).catch(() => [] as Dirent[]);
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) next.push(join(d, e.name));
    }
    dirs = next.sort().slice(0, MAX_FOLDERS);
  }
  return dirs;
}
