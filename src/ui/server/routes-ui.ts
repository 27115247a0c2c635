import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { KioskError } from '../../core/errors.ts';
import { projectPath } from '../../platform/project-root.ts';

/** The touchscreen app's files: plain HTML, CSS and JavaScript modules, served as they are. */
const WEB_DIR = projectPath('src', 'ui', 'web');

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/** Only flat, lower-case names of the known kinds are served; nothing outside the web folder. */
const NAME = /^[a-z0-9][a-z0-9-]{0,40}\.(html|js|css|svg)$/;

/**
 * Everything the app loads comes from the kiosk itself: no inline script or style, no frames, no
 * other origin, the API reached only on the same origin.
 */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

async function send(reply: FastifyReply, name: string): Promise<FastifyReply> {
  const ext = NAME.exec(name)?.[1];
  const notFound = new KioskError('KIOSK_E_NOT_FOUND', {
    field: 'path',
    zh: `没有这个页面文件：${name.slice(0, 60)}`,
    en: `no such UI file: ${name.slice(0, 60)}`,
  });
  if (!ext) throw notFound;
  let body: Buffer;
  try {
    body = await readFile(join(WEB_DIR, name));
  } catch {
    throw notFound;
  }
  return reply
    .type(TYPES[ext] ?? 'application/octet-stream')
    .header('content-security-policy', UI_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache')
    .send(body);
}

/**
 * The customer self-service touchscreen at `/ui/` (src/ui/web): the app talks to this same server's
 * API without a token, so everything it does is self-service.
 */
export function registerUiRoutes(app: FastifyInstance): void {
  app.get('/ui', async (_req, reply) => reply.redirect('/ui/', 302));
  app.get('/ui/', async (_req, reply) => send(reply, 'index.html'));
  app.get<{ Params: { name: string } }>('/ui/:name', async (req, reply) => send(reply, req.params.name));
}
