import { displayError, fromNodeError } from './display-errors.ts';

/**
 * One SPI device (bus, chip select), or anything that clocks bytes out like one. `transfer` sends
 * one CS-low…CS-high burst. A bus whose link can vanish by itself (a USB board unplugged) reports
 * that through `onLost`, so the display re-opens it without waiting for the next write.
 */
export interface SpiBus {
  transfer(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  onLost?(listener: (err: Error) => void): void;
}

interface SpiDeviceHandle {
  transfer(
    messages: Array<{ sendBuffer: Buffer; byteLength: number; speedHz: number }>,
    cb: (err: Error | null) => void,
  ): void;
  close(cb: (err: Error | null) => void): void;
}

interface SpiDeviceModule {
  open(
    bus: number,
    device: number,
    options: { mode: number; maxSpeedHz: number },
    cb: (err: Error | null) => void,
  ): SpiDeviceHandle;
  MODE0: number;
}

/** The optional native module, loaded only when a MAX7219 sign is configured. */
const SPI_MODULE = 'spi-device';

/**
 * Opens /dev/spidev<bus>.<device> through the `spi-device` package (SPI mode 0). Rejects with
 * DEVICE_E_UNSUPPORTED when the package is not installed (`npm install spi-device` on the Pi), and
 * with DEVICE_E_ABSENT when the device node does not exist (SPI disabled in config.txt).
 */
export async function openSpiDeviceBus(bus: number, device: number, speedHz: number): Promise<SpiBus> {
  let mod: SpiDeviceModule;
  try {
    const imported = (await import(SPI_MODULE)) as { default?: SpiDeviceModule } & SpiDeviceModule;
    mod = imported.default ?? imported;
  } catch (e) {
    throw displayError('noSpiModule', (e as Error).message, e);
  }
  const handle = await new Promise<SpiDeviceHandle>((resolve, reject) => {
    const h = mod.open(bus, device, { mode: mod.MODE0, maxSpeedHz: speedHz }, (err) =>
      queueMicrotask(() => (err ? reject(fromNodeError(err)) : resolve(h))),
    );
  });
  return {
    transfer: (bytes) =>
      new Promise((resolve, reject) =>
        handle.transfer([{ sendBuffer: Buffer.from(bytes), byteLength: bytes.length, speedHz }], (err) =>
          err ? reject(fromNodeError(err)) : resolve(),
        ),
      ),
    close: () => new Promise((resolve) => handle.close(() => resolve())),
  };
}
