import { DeviceError } from '../device.ts';

/**
 * The kernel-facing part of GPIO: request lines, read and write them. Values are logical (1 =
 * active, after the active-low inversion); drivers do the inversion the way their library does.
 * The Gpio device is built on this; tests run the same device over an in-memory driver.
 */
export interface LineSpec {
  chip: number | string;
  offset: number;
  activeLow: boolean;
}

export interface InputSpec extends LineSpec {
  bias: 'as-is' | 'pull-up' | 'pull-down' | 'disable';
}

export type Level = 0 | 1;

export interface InputLine {
  read(): Level;
  /**
   * Present when the backend delivers change interrupts (onoff's epoll): `cb` is called with the
   * new logical value. Without it the device samples with `read()`.
   */
  watch?(cb: (value: Level) => void, onError: (err: DeviceError) => void): void;
  close(): void;
}

export interface OutputLine {
  write(value: Level): void;
  close(): void;
}

export interface GpioDriver {
  readonly name: 'libgpiod' | 'onoff' | 'memory';
  /** Requests a line as input. Throws DeviceError (ABSENT, BUSY, IO, UNSUPPORTED). */
  openInput(spec: InputSpec, consumer: string): InputLine;
  /** Requests a line as output, driven to `initial` at once. Throws like openInput. */
  openOutput(spec: LineSpec, consumer: string, initial: Level): OutputLine;
}

export function describeLine(spec: LineSpec): string {
  return `chip ${spec.chip} line ${spec.offset}`;
}

/** errno-style failures of GPIO libraries → DeviceError. */
export function mapGpioError(err: unknown, spec: LineSpec): DeviceError {
  if (err instanceof DeviceError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const msg = err instanceof Error ? err.message : String(err);
  const where = describeLine(spec);
  switch (code) {
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return new DeviceError(
        'DEVICE_E_ABSENT',
        'GPIO 芯片或引脚不存在',
        `${where}: no such chip or line [${msg}]`,
        { cause: err },
      );
    case 'EINVAL':
      return new DeviceError('DEVICE_E_ABSENT', 'GPIO 引脚号无效', `${where}: invalid line [${msg}]`, {
        cause: err,
      });
    case 'EBUSY':
      return new DeviceError(
        'DEVICE_E_BUSY',
        'GPIO 引脚被占用',
        `${where}: line in use by another consumer [${msg}]`,
        {
          cause: err,
        },
      );
    case 'EACCES':
    case 'EPERM':
      return new DeviceError(
        'DEVICE_E_IO',
        '无权访问 GPIO',
        `${where}: permission denied (gpio group?) [${msg}]`,
        {
          cause: err,
        },
      );
    default:
      return new DeviceError('DEVICE_E_IO', 'GPIO 读写失败', `${where}: ${msg}`, { cause: err });
  }
}
