/**
 * Where everything goes on a paper card, in PDF points (1/72 in) with the
 * origin at the top left of each page. Pure geometry: it depends on the
 * number of passes only, so a test can find the QR codes of a printed PDF
 * from its page count alone.
 *
 * Physical choices (ISO/IEC 18004 sets no minimum; these are for phone
 * cameras and 2D imagers reading home-printed paper):
 * - every QR is drawn in a fixed square box that includes the standard
 *   4-module quiet zone, so a small code gets large modules;
 * - a module is never smaller than {@link MIN_MODULE_MM} (0.35 mm, above the
 *   0.33 mm usually given as the floor for phone scanning, for ink spread on
 *   plain paper); a code that would be smaller is refused;
 * - the A4 sheet keeps 10 mm margins (home printers cannot print the last
 *   3–5 mm) and gives each pass a cut-out block; its codes are 60 mm wide
 *   with 1–4 passes, 59 mm with 5–9 (3 columns) and 44.5 mm with 10–12
 *   (3 columns × 4 rows);
 * - a card page is ISO/IEC 7810 ID-1 (85.60 × 53.98 mm) with a 47 mm code.
 */

/** Points per millimetre. */
export const POINTS_PER_MM = 72 / 25.4;

/** The smallest QR module printed, in millimetres. */
export const MIN_MODULE_MM = 0.35;

/** Light modules around every code (ISO/IEC 18004's quiet zone). */
export const QUIET_ZONE_MODULES = 4;

/** The most passes one card carries (one per chosen service). */
export const MAX_PASSES = 12;

/** A rectangle in points, origin at the top left of its page. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One page of the printed PDF: its size in points and its QR boxes (quiet zone included), in pass order. */
export interface PaperCardPageLayout {
  width: number;
  height: number;
  qrBoxes: Box[];
}

/** Every page: the A4 sheet first, then one card page per pass. */
export interface PaperCardLayout {
  pages: PaperCardPageLayout[];
}

/** One pass's block on the A4 sheet. */
export interface SheetBlock {
  /** The cut-out rectangle (drawn dashed). */
  cell: Box;
  qr: Box;
  /** Service name, then validity, centred under the code. */
  text: Box;
}

/** The A4 sheet's parts. */
export interface SheetGeometry {
  width: number;
  height: number;
  /** The city's band: name and title. */
  band: Box;
  instructions: Box;
  blocks: SheetBlock[];
  /** Heights (y) between rows of blocks, where fold marks go in the margins. */
  folds: number[];
  margin: number;
}

/** A card page's parts. */
export interface CardGeometry {
  width: number;
  height: number;
  qr: Box;
  /** The city's band, at the top right, bled off the page's edges. */
  band: Box;
  /** The city's name, inside the band. */
  city: Box;
  /** Service name, then validity. */
  text: Box;
}

const mm = (value: number) => value * POINTS_PER_MM;

/** ISO 216 A4, portrait. */
const A4 = { width: mm(210), height: mm(297) };

/** ISO/IEC 7810 ID-1, landscape. */
const ID1 = { width: mm(85.6), height: mm(53.98) };

const SHEET_MARGIN = mm(10);
const BAND_HEIGHT = mm(16);
const INSTRUCTIONS_TOP = mm(28);
const INSTRUCTIONS_HEIGHT = mm(15);
const GRID_TOP = mm(45);
/** Above the code, between it and its text, and under the text. */
const CELL_PADDING = mm(2);
const TEXT_GAP = mm(1.5);
/** Under each code on the sheet: up to two lines of service name, one of validity. */
const SHEET_TEXT_HEIGHT = mm(11);
const SHEET_QR_MAX = mm(60);

const CARD_MARGIN = mm(3.5);
const CARD_QR = ID1.height - 2 * CARD_MARGIN;
const CARD_GAP = mm(3);
const CARD_BAND_HEIGHT = mm(12);

/**
 * The A4 sheet for `passes` passes: 1 column for one pass, 2 for two to
 * four, 3 for five to twelve; rows as needed, each block as tall as its
 * code, text and padding.
 *
 * @throws RangeError for a count outside 1–{@link MAX_PASSES} (callers check first).
 */
export function sheetGeometry({ passes }: { passes: number }): SheetGeometry {
  if (!Number.isInteger(passes) || passes < 1 || passes > MAX_PASSES) throw new RangeError(`a paper card has 1 to ${MAX_PASSES} passes`);
  const columns = passes === 1 ? 1 : passes <= 4 ? 2 : 3;
  const rows = Math.ceil(passes / columns);
  const gridWidth = A4.width - 2 * SHEET_MARGIN;
  const gridHeight = A4.height - SHEET_MARGIN - GRID_TOP;
  const cellWidth = gridWidth / columns;
  const side = Math.min(SHEET_QR_MAX, cellWidth - 2 * CELL_PADDING, gridHeight / rows - SHEET_TEXT_HEIGHT - TEXT_GAP - 2 * CELL_PADDING);
  const cellHeight = side + SHEET_TEXT_HEIGHT + TEXT_GAP + 2 * CELL_PADDING;
  const blocks = Array.from({ length: passes }, (_, index): SheetBlock => {
    const [row, column] = [Math.floor(index / columns), index % columns];
    const cell = { x: SHEET_MARGIN + column * cellWidth, y: GRID_TOP + row * cellHeight, width: cellWidth, height: cellHeight };
    const qr = { x: cell.x + (cellWidth - side) / 2, y: cell.y + CELL_PADDING, width: side, height: side };
    return { cell, qr, text: { x: cell.x + CELL_PADDING, y: qr.y + side + TEXT_GAP, width: cellWidth - 2 * CELL_PADDING, height: SHEET_TEXT_HEIGHT } };
  });
  return {
    ...A4,
    margin: SHEET_MARGIN,
    band: { x: SHEET_MARGIN, y: SHEET_MARGIN, width: gridWidth, height: BAND_HEIGHT },
    instructions: { x: SHEET_MARGIN, y: INSTRUCTIONS_TOP, width: gridWidth, height: INSTRUCTIONS_HEIGHT },
    blocks,
    folds: Array.from({ length: rows + 1 }, (_, row) => GRID_TOP + row * cellHeight),
  };
}

/** A card page: the code on the left, the city's band and the text on the right. */
export function cardGeometry(): CardGeometry {
  const textX = CARD_MARGIN + CARD_QR + CARD_GAP;
  const textWidth = ID1.width - textX - CARD_MARGIN;
  return {
    ...ID1,
    qr: { x: CARD_MARGIN, y: CARD_MARGIN, width: CARD_QR, height: CARD_QR },
    band: { x: textX - CARD_GAP / 2, y: 0, width: ID1.width - textX + CARD_GAP / 2, height: CARD_BAND_HEIGHT },
    city: { x: textX, y: CARD_MARGIN, width: textWidth, height: CARD_BAND_HEIGHT - 2 * CARD_MARGIN + mm(1) },
    text: { x: textX, y: CARD_BAND_HEIGHT + CARD_GAP, width: textWidth, height: ID1.height - CARD_BAND_HEIGHT - CARD_GAP - CARD_MARGIN },
  };
}

/**
 * The pages of a card with `passes` passes and their QR boxes (quiet zone
 * included), as the renderer draws them.
 *
 * @throws RangeError for a count outside 1–{@link MAX_PASSES}.
 */
export function paperCardLayout({ passes }: { passes: number }): PaperCardLayout {
  const sheet = sheetGeometry({ passes });
  const card = cardGeometry();
  return {
    pages: [
      { width: sheet.width, height: sheet.height, qrBoxes: sheet.blocks.map((b) => ({ ...b.qr })) },
      ...sheet.blocks.map(() => ({ width: card.width, height: card.height, qrBoxes: [{ ...card.qr }] })),
    ],
  };
}

/**
 * The largest QR version whose modules stay at least {@link MIN_MODULE_MM}
 * in a box `side` points wide (quiet zone included).
 *
 * @example
 * ```ts
 * largestReadableVersion({ side: cardGeometry().qr.width }); // 27
 * ```
 */
export function largestReadableVersion({ side }: { side: number }): number {
  const modules = Math.floor(side / mm(MIN_MODULE_MM) + 1e-9) - 2 * QUIET_ZONE_MODULES;
  return Math.min(40, Math.floor((modules - 17) / 4));
}
