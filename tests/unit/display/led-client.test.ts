import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeviceError } from '../../../devices/device.ts';
import { LedProtocolClient } from '../../../devices/display/led-client.ts';
import { LedControllerEmulator } from '../../../devices/display/led-controller-emulator.ts';
import { Cmd, decodeHelloInfo, NakReason, PacketDecoder } from '../../../devices/display/led-protocol.ts';
import { TestLink } from './support/memory-link.ts';

function setup(retries = 2) {
  const ctl = new LedControllerEmulator(32, 16);
  const link = new TestLink(ctl);
  const client = new LedProtocolClient(link, { ackTimeoutMs: 100, retries });
  client.attach();
  return { ctl, link, client };
}

function sentSeqs(link: TestLink): number[] {
  const d = new PacketDecoder();
  return link.written.flatMap((b) => d.push(b)).flatMap((e) => (e.type === 'packet' ? [e.packet.seq] : []));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => 'resolved',
    (err: unknown) => err,
  );
  return e instanceof DeviceError ? e.code : String(e);
}

describe('LedProtocolClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a request and returns the ACK payload', async () => {
    const { client } = setup();
    const info = decodeHelloInfo(await client.request(Cmd.HELLO));
    expect(info).toEqual({ version: 1, width: 32, height: 16 });
  });

  it('re-sends with the same SEQ after a transient NAK', async () => {
    const { ctl, link, client } = setup();
    ctl.nakNext(2, NakReason.BUSY);
    await client.request(Cmd.PING);
    const seqs = sentSeqs(link);
    expect(seqs).toHaveLength(3);
    expect(new Set(seqs).size).toBe(1);
  });

  it('fails at once on a permanent NAK', async () => {
    const { ctl, link, client } = setup();
    ctl.nakNext(1, NakReason.BAD_PAYLOAD);
    expect(await codeOf(client.request(Cmd.PING))).toBe('DEVICE_E_PROTOCOL');
    expect(link.written).toHaveLength(1);
  });

  it('fails with DEVICE_E_PROTOCOL when every attempt is NAKed', async () => {
    const { ctl, client } = setup(1);
    ctl.nakNext(5, NakReason.BUSY);
    expect(await codeOf(client.request(Cmd.PING))).toBe('DEVICE_E_PROTOCOL');
  });

  it('re-sends after an ACK timeout and gives up with DEVICE_E_TIMEOUT', async () => {
    const { ctl, link, client } = setup(2);
    ctl.dropNextAcks(1);
    const ok = client.request(Cmd.PING);
    await vi.advanceTimersByTimeAsync(100);
    await ok;
    expect(sentSeqs(link)).toHaveLength(2);

    ctl.dropNextAcks(10);
    const failing = codeOf(client.request(Cmd.PING));
    await vi.advanceTimersByTimeAsync(300);
    expect(await failing).toBe('DEVICE_E_TIMEOUT');
    expect(sentSeqs(link)).toHaveLength(5);
  });

  it('accepts a slow ACK that arrives within the timeout, and times out a slower one', async () => {
    const { ctl, client } = setup(0);
    ctl.setAckDelay(60);
    const ok = client.request(Cmd.PING);
    await vi.advanceTimersByTimeAsync(60);
    await expect(ok).resolves.toBeDefined();
    ctl.setAckDelay(150);
    const late = codeOf(client.request(Cmd.PING));
    await vi.advanceTimersByTimeAsync(150);
    expect(await late).toBe('DEVICE_E_TIMEOUT');
  });

  it('ignores a corrupted reply and succeeds on the re-send', async () => {
    const { ctl, client } = setup(1);
    ctl.corruptNextReplies(1);
    const r = client.request(Cmd.PING);
    await vi.advanceTimersByTimeAsync(100);
    await expect(r).resolves.toBeDefined();
  });

  it('keeps requests in call order, one in flight', async () => {
    const { ctl, client } = setup();
    const seen: number[] = [];
    ctl.on('packet', (p) => seen.push(p.cmd));
    await Promise.all([client.request(Cmd.HELLO), client.request(Cmd.CLEAR), client.request(Cmd.PING)]);
    expect(seen).toEqual([Cmd.HELLO, Cmd.CLEAR, Cmd.PING]);
  });

  it('fails the pending and all later requests once the link closes', async () => {
    const { ctl, link, client } = setup();
    ctl.setAckDelay(50);
    const pending = codeOf(client.request(Cmd.PING));
    await vi.advanceTimersByTimeAsync(10);
    link.unplug();
    expect(await pending).toBe('DEVICE_E_DISCONNECTED');
    expect(await codeOf(client.request(Cmd.PING))).toBe('DEVICE_E_DISCONNECTED');
  });

  it('reports a failed write as DEVICE_E_IO', async () => {
    const { link, client } = setup();
    link.failWrites = true;
    expect(await codeOf(client.request(Cmd.PING))).toBe('DEVICE_E_IO');
  });
});
