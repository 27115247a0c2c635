import { z } from 'zod';

/** A GPIO line by chip and offset: chip number N (/dev/gpiochipN) or chip label, e.g. "pinctrl-rp1". */
export const gpioLineSchema = z.strictObject({
  chip: z.union([z.int().min(0).max(63), z.string().min(1)]),
  /** Line offset on the chip (on a Pi's main chip: the BCM GPIO number). */
  offset: z.int().min(0).max(1023),
  /** The signal is active (door open, power failed, light on…) when the pin is low. */
  activeLow: z.boolean(),
});

export const gpioInputSchema = z.strictObject({
  ...gpioLineSchema.shape,
  /** Internal bias (libgpiod only; with onoff set it in config.txt, e.g. `gpio=17=ip,pu`). */
  bias: z.enum(['as-is', 'pull-up', 'pull-down', 'disable']),
  /** The input must hold a new level this long before it counts, ms. */
  debounceMs: z.int().min(0).max(60_000),
});

/**
 * Config of the GPIO lines (devices.gpio). `sim` runs the simulator (an in-memory chip with the
 * same line layout), `real` a kernel GPIO backend, `none` means nothing is wired.
 * A line set to null is not fitted.
 */
export const gpioConfigSchema = z.strictObject({
  driver: z.enum(['sim', 'real', 'none']),
  /** Kernel interface for `real`: libgpiod 1.x character device (Pi OS Bookworm) or sysfs via onoff (older images). */
  backend: z.enum(['libgpiod', 'onoff']),
  /** Consumer name shown by `gpioinfo` for the lines this kiosk holds. */
  consumer: z.string().min(1).max(31),
  /** Sampling interval of inputs whose backend gives no change events (libgpiod), ms. */
  pollIntervalMs: z.int().min(1).max(1000),
  /** Interval between attempts to open lines that failed to open, ms. */
  retryIntervalMs: z.int().min(100).max(600_000),
  inputs: z.strictObject({
    /** Kiosk door / tamper switch; active = door open. */
    door: gpioInputSchema.nullable(),
    /** UPS HAT power-fail signal; active = running on battery. */
    powerFail: gpioInputSchema.nullable(),
    /** Receipt printer paper-low sensor; active = paper low. */
    paperLow: gpioInputSchema.nullable(),
  }),
  outputs: z.strictObject({
    /** Status light; active = lit. */
    statusLight: gpioLineSchema.nullable(),
    /** Buzzer; active = sounding. */
    buzzer: gpioLineSchema.nullable(),
  }),
});

export type GpioConfig = z.output<typeof gpioConfigSchema>;
export type GpioLineConfig = z.output<typeof gpioLineSchema>;
export type GpioInputConfig = z.output<typeof gpioInputSchema>;
