import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { KioskError } from '../core/errors.ts';

/** Error codes that mean "this process may not write there", as opposed to a bug. */
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Makes sure `path` is a folder this process can write to, creating it (and its parents) when
 * missing. Refuses with KIOSK_E_DATA_DIR naming the folder (`field`, e.g. `dataDir`), the path
 * that is in the way and why: a read-only folder, a parent where the folder cannot be created,
 * a file where a folder should be. Nothing is changed when it refuses.
 */
export async function ensureWritableDir(path: string, field: string): Promise<void> {
  const full = resolve(path);
  try {
    await mkdir(full, { recursive: true });
  } catch (e) {
    const code = codeOf(e);
    const blocker = await firstExistingAncestor(full);
    if (code === 'ENOTDIR' || code === 'EEXIST') {
      throw refuse(field, full, code, `${blocker} 不是文件夹`, `${blocker} is not a folder`);
    }
    if (NOT_WRITABLE.has(code)) {
      throw refuse(
        field,
        full,
        code,
        `无法在只读或无写权限的 ${blocker} 下创建该目录`,
        `it cannot be created because ${blocker} is read-only or not writable by this user`,
      );
    }
    throw refuse(field, full, code, `无法创建该目录（${code}）`, `it cannot be created (${code})`);
  }
  const info = await stat(full);
  if (!info.isDirectory()) {
    throw refuse(field, full, 'ENOTDIR', '该路径不是文件夹', 'the path is not a folder');
  }
  try {
    await access(full, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = codeOf(e);
    throw refuse(
      field,
      full,
      code,
      '该目录只读或本用户无写权限',
      'the folder is read-only or not writable by this user',
    );
  }
}

function refuse(field: string, path: string, code: string, zh: string, en: string): KioskError {
  return new KioskError('KIOSK_E_DATA_DIR', {
    field,
    zh: `数据目录 ${path} 不可用：${zh}`,
    en: `data folder ${path} is not usable: ${en}`,
    details: { path, code },
  });
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

async function firstExistingAncestor(path: string): Promise<string> {
  let p = path;
  for (;;) {
    try {
      await stat(p);
      return p;
    } catch {
      const up = dirname(p);
      if (up === p) return p;
      p = up;
    }
  }
}
