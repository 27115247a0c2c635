import type { ErrorCode } from '../core/errors.ts';

/** Exit codes scripts can rely on. */
export const EXIT = {
  OK: 0,
  /** Unexpected failure (a bug, or an environment problem not listed below). */
  FAILURE: 1,
  /** Wrong command line. */
  USAGE: 2,
  /** `journal verify` found problems. */
  PROBLEMS: 3,
  /** The journal is in use by a running kiosk, or cannot be opened (its folder included). */
  UNAVAILABLE: 4,
  /** Input or configuration refused; nothing changed. */
  INVALID: 5,
  /** Refused by a business rule (balance, lockout, permission, state). */
  REFUSED: 6,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'KIOSK_E_JOURNAL_LOCKED':
    case 'KIOSK_E_JOURNAL_CORRUPT':
    case 'KIOSK_E_JOURNAL_VERSION':
    case 'KIOSK_E_DATA_DIR':
      return EXIT.UNAVAILABLE;
    case 'KIOSK_E_INVALID_INPUT':
    case 'KIOSK_E_INVALID_AMOUNT':
    case 'KIOSK_E_CONFIG':
    case 'KIOSK_E_UNKNOWN_SERVICE':
      return EXIT.INVALID;
    case 'KIOSK_E_INTERNAL':
      return EXIT.FAILURE;
    default:
      return EXIT.REFUSED;
  }
}
