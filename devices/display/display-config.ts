import { z } from 'zod';
import { timeOfDay } from '../../src/config/types.ts';

const percent = z.int().min(0).max(100);
/** A digital pin of an Arduino-class Firmata board (Nano: D2–D13, A0–A5 as 14–19). */
const firmataPin = z.int().min(2).max(69);

/**
 * Config of the roof LED sign (devices.display). `sim` runs the simulator, `real` drives the
 * transport named by `transport`, `none` means no sign is fitted. Every key has its default in
 * config/default.json. Sizes are in LED pixels, times in milliseconds, brightness in percent.
 */
export const displayConfigSchema = z
  .strictObject({
    driver: z.enum(['sim', 'real', 'none']),
    /** Panel size in LEDs. Text lines are 16 px high, so the height is at least 16. */
    widthPx: z.int().min(16).max(1024),
    heightPx: z.int().min(16).max(256),
    /**
     * Which real transport `driver: real` uses: `serial` a serial LED controller, `max7219` a
     * MAX7219 chain on the Pi's SPI, `firmata` a MAX7219 chain on a Firmata board (johnny-five).
     */
    transport: z.enum(['serial', 'max7219', 'firmata']),
    /** A serial LED controller speaking docs/led-serial-protocol.md. */
    serial: z.strictObject({
      /** Device node, e.g. /dev/ttyUSB0 or a stable /dev/serial/by-id/... link. */
      path: z.string().min(1),
      baudRate: z.int().min(1200).max(4_000_000),
      /** How long to wait for ACK/NAK of one packet before sending it again. */
      ackTimeoutMs: z.int().min(10).max(10_000),
      /** Re-sends after a timeout or a transient NAK, before the command fails. */
      retries: z.int().min(0).max(10),
      /** With no traffic for this long, a PING checks that the controller still answers. */
      keepAliveMs: z.int().min(1000).max(600_000),
    }),
    /** MAX7219 8×8 modules on SPI, chained row-major from the top-left module (nearest DIN first). */
    max7219: z.strictObject({
      spiBus: z.int().min(0).max(9),
      spiDevice: z.int().min(0).max(9),
      speedHz: z.int().min(10_000).max(10_000_000),
      /**
       * `msb-left`: bit 7 of a row byte is the module's leftmost LED (most FC-16 boards: `lsb-left`).
       * Applies to both MAX7219 transports (`max7219` and `firmata`).
       */
      columnOrder: z.enum(['msb-left', 'lsb-left']),
    }),
    /**
     * A MAX7219 chain wired to a board running StandardFirmata (an Arduino Nano on USB serial is the
     * common build), driven through johnny-five. Every bit costs Firmata messages: at 57,600 baud a
     * frame of a 32×16 panel (8 modules) takes about 1.6 s, so use it for static pages, not scrolling.
     */
    firmata: z
      .strictObject({
        /** Device node, e.g. /dev/ttyUSB0 or a stable /dev/serial/by-id/... link. */
        path: z.string().min(1),
        /** StandardFirmata's rate is 57600. */
        baudRate: z.int().min(1200).max(2_000_000),
        /** The board pins wired to the chain's DIN, CLK and CS (LOAD). */
        pins: z.strictObject({ data: firmataPin, clock: firmataPin, cs: firmataPin }),
        /** How long the board may take to report its firmware after the port opens (a Nano resets on open). */
        readyTimeoutMs: z.int().min(500).max(60_000),
        /** How long the board may take to confirm a burst (a version request answered in order). */
        ackTimeoutMs: z.int().min(10).max(10_000),
      })
      .refine((f) => new Set([f.pins.data, f.pins.clock, f.pins.cs]).size === 3, {
        message: 'firmata.pins.data, clock and cs must be three different pins',
        path: ['pins'],
      }),
    /** Re-open backoff after the sign disappears (hot-plug), doubling up to the maximum. */
    reconnect: z.strictObject({
      initialDelayMs: z.int().min(10).max(60_000),
      maxDelayMs: z.int().min(10).max(600_000),
    }),
    font: z.strictObject({
      /** GNU Unifont .hex file (Debian package `unifont`); the bundled subset is used when absent. */
      unifontHexPath: z.string().min(1),
    }),
    brightness: z.strictObject({
      dayPercent: percent,
      nightPercent: percent,
      /** Local time (Asia/Shanghai) the night level starts and ends; the window may wrap midnight. */
      nightFrom: timeOfDay,
      nightTo: timeOfDay,
    }),
    layout: z.strictObject({
      scrollPxPerSecond: z.int().min(1).max(500),
      /** How long one static page stays up. */
      staticDwellMs: z.int().min(500).max(600_000),
      /** Label shown in the left part of a split layout for emergency first reports / follow-ups. */
      emergencyLabel: z.string().min(1).max(8),
      followUpLabel: z.string().min(1).max(8),
    }),
    idle: z.strictObject({
      /** Service slogans (服务标语) rotated while no notice is active. */
      slogans: z.array(z.string().min(1).max(200)).max(50),
    }),
    sim: z.strictObject({
      /** Draw every shown frame on stdout with ANSI half blocks. */
      terminal: z.boolean(),
      /** Write the latest shown frame to this PNG file; null for none. */
      pngPath: z.string().min(1).nullable(),
      /** Pixel size of one LED in the PNG. */
      pngScale: z.int().min(1).max(32),
    }),
  })
  .refine((c) => c.reconnect.initialDelayMs <= c.reconnect.maxDelayMs, {
    message: 'reconnect.initialDelayMs must not exceed reconnect.maxDelayMs',
    path: ['reconnect', 'initialDelayMs'],
  })
  .refine((c) => c.transport === 'serial' || (c.widthPx % 8 === 0 && c.heightPx % 8 === 0), {
    message: 'a MAX7219 panel is built from 8×8 modules: widthPx and heightPx must be multiples of 8',
    path: ['widthPx'],
  });

export type DisplayConfig = z.infer<typeof displayConfigSchema>;
