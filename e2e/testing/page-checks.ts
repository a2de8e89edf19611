/**
 * Checks of a web page in Chromium (playwright-core) that issue 7's
 * accessibility and phone requirements are made of: an axe-core scan
 * against WCAG 2.1 A/AA, keyboard reachability of an element, and nothing
 * wider than the viewport. Used by e2e/web-accessibility.test.ts.
 *
 * axe-core goes in through `page.evaluate` (the DevTools protocol), not a
 * `<script>` element: the pages' Content-Security-Policy forbids inline
 * scripts (`script-src 'self'`), and the scan must run on the page as
 * served, its policy on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (scripts/ensure-test-tools.sh), or URBIS_CHROMIUM. */
export const CHROMIUM = process.env['URBIS_CHROMIUM'] ?? '/usr/bin/chromium';

/** The axe-core rule tags of WCAG 2.0 and 2.1, levels A and AA. */
export const WCAG_21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

let axeSource: string | undefined;

/** axe-core's browser build (node_modules/axe-core/axe.min.js), read once. */
export function axeCoreSource(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Launches headless Chromium, or fails naming the install script. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed (${CHROMIUM} is missing): run \`bash scripts/ensure-test-tools.sh\`, or set URBIS_CHROMIUM.`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** One element an axe rule failed on. */
export interface AxeViolation {
  /** The axe rule id (`color-contrast`, `label`…). */
  rule: string;
  impact: string;
  /** The element's CSS selector, as axe names it. */
  target: string;
  /** What the rule asks for, in one line. */
  help: string;
}

/**
 * Runs axe-core on the page as it is now, against WCAG 2.1 A and AA, and
 * returns one entry per failing element (none: the page passes). Injects
 * axe-core first when the page has not got it.
 */
export async function axeViolations({ page }: { page: Page }): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object'))) {
    await page.evaluate(axeCoreSource());
    if (!(await page.evaluate(() => typeof (window as { axe?: { run?: unknown } }).axe?.run === 'function'))) throw new Error('axe-core did not load in the page');
  }
  const results = await page.evaluate(async (tags) => {
    type AxeNode = { target: unknown[] };
    type AxeResult = { id: string; impact?: string; help: string; nodes: AxeNode[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeResult[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return violations.flatMap((v) => v.nodes.map((node) => ({ rule: v.id, impact: v.impact ?? '', target: node.target.map(String).join(' '), help: v.help })));
  }, [...WCAG_21_AA_TAGS]);
  return results;
}

/**
 * Elements sticking out of the viewport's width, and the document itself
 * when it scrolls sideways (`document:<width>`); elements inside a
 * `.table-wrap` (a table scrolling in its own box) and hidden ones are left
 * out. Empty: nothing is wider than the screen.
 */
export async function wideElements({ page }: { page: Page }): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wider = Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && el.parentElement?.closest('.table-wrap') == null && el.offsetParent !== null)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}:${Math.round(el.getBoundingClientRect().right)}`);
    return document.documentElement.scrollWidth > width ? [`document:${document.documentElement.scrollWidth}`, ...wider] : wider;
  });
}

/** What {@link keyboardWalk} saw. */
export interface KeyboardWalk {
  /** Tab presses from the top of the page until the target had the focus; undefined: never within `maxPresses`. */
  presses: number | undefined;
  /** Each Tab stop on the way (the target included) whose focus ring is missing or too faint: `selector: why`. */
  faintFocus: string[];
}

/**
 * Presses Tab from the top of the page until the element matching
 * `selector` has the focus, checking at each stop that the focused element
 * shows a focus ring (an outline of at least 2 px) with a contrast of at
 * least 3:1 against what lies under the ring on each side (WCAG 2.1 SC 1.4.11 and
 * 2.4.7), the colours as computed by the page's stylesheet.
 */
export async function keyboardWalk({ page, selector, maxPresses = 80 }: { page: Page; selector: string; maxPresses?: number }): Promise<KeyboardWalk> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  // The sequential focus navigation starting point: the top of the document.
  await page.locator('body').evaluate((body) => {
    body.setAttribute('tabindex', '-1');
    body.focus();
    body.removeAttribute('tabindex');
  });
  const faintFocus: string[] = [];
  for (let presses = 1; presses <= maxPresses; presses += 1) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate((wanted) => {
      const el = document.activeElement as HTMLElement | null;
      if (el === null || el === document.body) return undefined;
      const rgb = (color: string): [number, number, number, number] => {
        const [r = 0, g = 0, b = 0, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
        return [r, g, b, color.startsWith('rgba') ? a : 1];
      };
      const luminance = ([r, g, b]: number[]) => {
        const [lr, lg, lb] = [r!, g!, b!].map((c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * lr! + 0.7152 * lg! + 0.0722 * lb!;
      };
      // What lies under the ring: the first opaque background in the stack of boxes at the middle of each side
      // of the ring (an absolutely positioned element sits on others); the element's own for a ring drawn inside it.
      const style = getComputedStyle(el);
      const inside = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) <= 0;
      const backgroundAt = (x: number, y: number): number[] => {
        for (const under of document.elementsFromPoint(x, y)) {
          if (el.contains(under) && (under !== el || !inside)) continue;
          const color = rgb(getComputedStyle(under).backgroundColor);
          if (color[3] > 0.5) return color;
        }
        return [255, 255, 255];
      };
      const box = el.getBoundingClientRect();
      const out = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2;
      const sides = [
        [box.left - out, box.top + box.height / 2],
        [box.right + out, box.top + box.height / 2],
        [box.left + box.width / 2, box.top - out],
        [box.left + box.width / 2, box.bottom + out],
      ].filter(([x, y]) => x! >= 0 && y! >= 0 && x! < innerWidth && y! < innerHeight);
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('type') ? `[type=${el.getAttribute('type')}]` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`;
      let problem: string | undefined;
      if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) problem = `no focus ring (outline ${style.outlineStyle} ${style.outlineWidth})`;
      else {
        const ring = luminance(rgb(style.outlineColor));
        for (const [x, y] of sides) {
          const background = backgroundAt(x!, y!);
          const under = luminance(background);
          const ratio = (Math.max(ring, under) + 0.05) / (Math.min(ring, under) + 0.05);
          if (ratio < 3) {
            problem = `focus ring ${style.outlineColor} on rgb(${background.slice(0, 3).join(', ')}): ${ratio.toFixed(2)}:1 (3:1 needed)`;
            break;
          }
        }
      }
      return { reached: el.matches(wanted), faint: problem === undefined ? undefined : `${name}: ${problem}` };
    }, selector);
    if (stop?.faint !== undefined && !faintFocus.includes(stop.faint)) faintFocus.push(stop.faint);
    if (stop?.reached === true) return { presses, faintFocus };
  }
  return { presses: undefined, faintFocus };
}
