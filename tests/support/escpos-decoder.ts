/**
 * The ESC/POS-to-text decoder the tests use to check what a printer would print. It lives with the
 * printer code (devices/printer/escpos-decoder.ts) because the simulator renders its previews with
 * it; this module is the tests' entry point.
 */
export {
  type Decoded,
  type DecodedLine,
  decodeEscPos,
  printedText,
  type RasterImage,
  rasterMatrix,
  renderText,
  type Segment,
} from '../../devices/printer/escpos-decoder.ts';
