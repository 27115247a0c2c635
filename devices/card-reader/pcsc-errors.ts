import { DeviceError, type DeviceErrorCode } from '../device.ts';

/**
 * PC/SC return codes (pcsclite.h / winscard) mapped to typed device errors. `@pokusew/pcsclite`
 * reports failures as `Error("<Function> error: <text>(0x8010xxxx)")`; the code is parsed out of the
 * message.
 */
type Entry = [code: DeviceErrorCode, zh: string, en: string];

const TABLE: Record<number, Entry> = {
  2148532226: ['DEVICE_E_IO', '读卡操作被取消', 'operation cancelled'],
  2148532227: ['DEVICE_E_DISCONNECTED', '读卡器连接已失效', 'invalid PC/SC handle'],
  2148532233: ['DEVICE_E_DISCONNECTED', '读卡器已拔出', 'reader unknown (unplugged)'],
  2148532234: ['DEVICE_E_TIMEOUT', '读卡器响应超时', 'PC/SC timeout'],
  2148532235: ['DEVICE_E_BUSY', '读卡器正被其他程序占用', 'sharing violation: reader in use'],
  2148532236: ['DEVICE_E_NO_CARD', '读卡器内无卡', 'no card in the reader'],
  2148532239: ['DEVICE_E_PROTOCOL', '卡片通讯协议不匹配', 'protocol mismatch'],
  2148532243: ['DEVICE_E_DISCONNECTED', '读卡服务通讯中断', 'lost contact with pcscd'],
  2148532246: ['DEVICE_E_IO', '卡片操作未完成', 'transaction failed'],
  2148532247: ['DEVICE_E_DISCONNECTED', '读卡器不可用', 'reader unavailable'],
  2148532253: ['DEVICE_E_ABSENT', '读卡服务未运行', 'PC/SC service not running'],
  2148532254: ['DEVICE_E_ABSENT', '读卡服务已停止', 'PC/SC service stopped'],
  2148532270: ['DEVICE_E_ABSENT', '未连接读卡器', 'no readers available'],
  2148532325: ['DEVICE_E_WRONG_CARD', '不支持的卡片', 'unsupported card'],
  2148532326: [
    'DEVICE_E_WRONG_CARD',
    '卡片无响应，请检查插卡方向',
    'card does not respond (inserted wrongly?)',
  ],
  2148532327: ['DEVICE_E_WRONG_CARD', '卡片未上电', 'card unpowered'],
  2148532328: ['DEVICE_E_CARD_REMOVED', '卡片被复位，结果未知', 'card was reset; outcome unknown'],
  2148532329: ['DEVICE_E_CARD_REMOVED', '卡片被拔出，结果未知', 'card removed; outcome unknown'],
};

/** Extracts the PC/SC return code from a pcsclite error message, if it carries one. */
export function pcscReturnCode(err: unknown): number | null {
  const msg = err instanceof Error ? err.message : String(err);
  const m = /\(0x([0-9a-fA-F]{8})\)/.exec(msg);
  return m ? Number.parseInt(m[1]!, 16) : null;
}

/** Any error from the pcsclite binding → DeviceError, keeping the original as `cause`. */
export function mapPcscError(err: unknown): DeviceError {
  if (err instanceof DeviceError) return err;
  const rc = pcscReturnCode(err);
  const entry = rc === null ? undefined : TABLE[rc];
  const detail = err instanceof Error ? err.message : String(err);
  if (entry) return new DeviceError(entry[0], entry[1], `${entry[2]} [${detail}]`, { cause: err });
  if (/not connected/i.test(detail)) {
    return new DeviceError('DEVICE_E_DISCONNECTED', '卡片连接已断开', `card session closed [${detail}]`, {
      cause: err,
    });
  }
  return new DeviceError('DEVICE_E_IO', '读卡器错误', `PC/SC error [${detail}]`, { cause: err });
}

/** True for return codes that mean pcscd itself went away (the context must be rebuilt). */
export function isServiceLost(err: unknown): boolean {
  const rc = pcscReturnCode(err);
  return rc === 0x80100013 || rc === 0x8010001d || rc === 0x8010001e || rc === 0x80100003;
}

/** True for the cancellation pcsclite reports while its own context is being closed. */
export function isCancelled(err: unknown): boolean {
  return pcscReturnCode(err) === 0x80100002;
}
