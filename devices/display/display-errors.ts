import { DeviceError, type DeviceErrorCode, type DeviceHealth } from '../device.ts';

/** Bilingual device errors of the LED sign. */
export const DISPLAY_ERRORS = {
  notFitted: ['DEVICE_E_ABSENT', '未安装显示屏', 'no LED sign is fitted'],
  absent: ['DEVICE_E_ABSENT', '找不到显示屏设备', 'LED sign device not found'],
  disconnected: ['DEVICE_E_DISCONNECTED', '显示屏连接已断开', 'LED sign disconnected'],
  stopped: ['DEVICE_E_DISCONNECTED', '显示屏已停止', 'LED sign stopped'],
  timeout: ['DEVICE_E_TIMEOUT', '显示屏无应答', 'LED sign did not acknowledge'],
  nak: ['DEVICE_E_PROTOCOL', '显示屏拒绝了指令', 'LED sign refused the command'],
  badReply: ['DEVICE_E_PROTOCOL', '显示屏应答有误', 'LED sign sent a malformed reply'],
  sizeMismatch: ['DEVICE_E_PROTOCOL', '显示屏尺寸与配置不符', 'LED sign size differs from the configuration'],
  wrongFrame: ['DEVICE_E_UNSUPPORTED', '画面尺寸与显示屏不符', 'frame size does not match the LED sign'],
  noSpiModule: [
    'DEVICE_E_UNSUPPORTED',
    '未安装 spi-device 模块，无法驱动 MAX7219',
    'the spi-device module is not installed; MAX7219 cannot be driven',
  ],
  io: ['DEVICE_E_IO', '显示屏读写失败', 'LED sign I/O failed'],
  busy: ['DEVICE_E_BUSY', '显示屏端口被占用', 'LED sign port is in use'],
} as const satisfies Record<string, readonly [DeviceErrorCode, string, string]>;

export type DisplayErrorName = keyof typeof DISPLAY_ERRORS;

export function displayError(name: DisplayErrorName, detail?: string, cause?: unknown): DeviceError {
  const [code, zh, en] = DISPLAY_ERRORS[name];
  return new DeviceError(
    code,
    zh,
    detail ? `${en}: ${detail}` : en,
    cause === undefined ? undefined : { cause },
  );
}

/** Maps an open/IO failure of a device node to a display error (ENOENT → absent, …). */
export function fromNodeError(e: unknown): DeviceError {
  if (e instanceof DeviceError) return e;
  const err = e as NodeJS.ErrnoException;
  const msg = String(err?.message ?? e);
  if (err?.code === 'ENOENT' || /ENOENT|No such file/i.test(msg)) return displayError('absent', msg, e);
  if (err?.code === 'EBUSY' || /lock|busy/i.test(msg)) return displayError('busy', msg, e);
  return displayError('io', msg, e);
}

/** The bilingual reason a health report carries. */
export function reasonOf(err: DeviceError): NonNullable<DeviceHealth['reason']> {
  return { code: err.code, zh: err.zh, en: err.en };
}
