import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { oneRequest } from '../../../src/cli/one-request.ts';

describe('one request of a command line', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r) ?? r(undefined));
  });

  it('sends the body, reads the answer and leaves no connection open behind it', async () => {
    let socketClosed!: () => void;
    const closed = new Promise<void>((r) => {
      socketClosed = r;
    });
    server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            method: req.method,
            got: Buffer.concat(parts).toString(),
            auth: req.headers.authorization,
          }),
        );
      });
    });
    // The server would keep an idle connection for a minute; the client must close it itself.
    server.keepAliveTimeout = 60_000;
    server.on('connection', (s) => s.on('close', socketClosed));
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const answer = await oneRequest(`http://127.0.0.1:${port}/api/x`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{"a":"中文"}',
      timeoutMs: 5_000,
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({
      method: 'POST',
      got: '{"a":"中文"}',
      auth: 'Bearer t',
    });
    await closed;
  });

  it('rejects when nothing listens', async () => {
    server = createServer();
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server?.close(r));
    server = undefined;
    await expect(
      oneRequest(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {}, timeoutMs: 5_000 }),
    ).rejects.toThrow();
  });
});
