/**
 * A small stacked bar chart drawn as inline SVG, for the back office's statistics (issue #7).
 *
 * Why no chart library: the page needs one kind of chart (bars per day, stacked by a few series), and a library
 * would bring tens of kilobytes of code to audit, its own inline styles (refused by the pages' CSP:
 * `style-src 'self'`) and its own accessibility model. This module is ~150 lines: scales, bars, a few axis
 * labels, a legend, and keyboard exploration. Colours come from classes in charts.css (no style attribute is
 * ever written); the figures themselves are also in a table beside each chart (the screen-reader alternative).
 *
 * Keyboard: the chart is one tab stop (`role="img"` with a summary as its label); ← → Home End move a highlight
 * from day to day, and the day's figures are read out in the chart's live caption.
 */

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (never `style`). */
function svg(tag, attributes = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  el.append(...children);
  return el;
}

/** A "nice" axis maximum ≥ `max`: 1, 2 or 5 × a power of ten. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/**
 * Draws (or redraws) a stacked bar chart in `container` (emptied first), sized to the container's width.
 *
 * @param {object} args
 * @param {HTMLElement} args.container - where the SVG goes.
 * @param {HTMLElement} args.caption - a live region (`aria-live="polite"`) for the highlighted day's figures.
 * @param {string[]} args.days - the x axis, `YYYY-MM-DD`, oldest first.
 * @param {{ key: string, label: string }[]} args.series - the stacks, bottom first (at most 6: charts.css has 6 colours).
 * @param {(day: string, key: string) => number} args.value - the figure of one series on one day.
 * @param {string} args.label - the accessible summary of the whole chart.
 * @param {(day: string) => string} args.dayLabel - a day as the reader's language writes it.
 * @param {(day: string, parts: string) => string} args.describeDay - the caption of a highlighted day.
 * @returns {{ focusDay(index: number): void }}
 */
export function renderBarChart({ container, caption, days, series, value, label, dayLabel, describeDay }) {
  const width = Math.max(280, Math.floor(container.clientWidth || 600));
  const height = 220;
  const margin = { top: 10, right: 8, bottom: 28, left: 40 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const totals = days.map((day) => series.reduce((sum, s) => sum + value(day, s.key), 0));
  const top = niceMax(Math.max(0, ...totals));
  const y = (n) => margin.top + plotHeight - (n / top) * plotHeight;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(1, slot * 0.7);

  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, tabindex: 0, class: 'bar-chart', focusable: 'true' });
  // Horizontal grid and the y axis labels: 0, half, top.
  for (const tick of [0, top / 2, top]) {
    chart.append(svg('line', { x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick), class: 'grid' }));
    const text = svg('text', { x: margin.left - 6, y: y(tick) + 4, 'text-anchor': 'end', class: 'axis' });
    text.textContent = Number.isInteger(tick) ? String(tick) : tick.toFixed(1);
    chart.append(text);
  }
  // About five day labels, whatever the window.
  const every = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor(plotWidth / 70))));
  const bars = [];
  days.forEach((day, i) => {
    const x = margin.left + i * slot + (slot - barWidth) / 2;
    const group = svg('g', { class: 'day' });
    let base = 0;
    const parts = [];
    series.forEach((s, k) => {
      const n = value(day, s.key);
      parts.push(`${s.label} ${n}`);
      if (n <= 0) return;
      group.append(svg('rect', { x, y: y(base + n), width: barWidth, height: Math.max(0.5, y(base) - y(base + n)), class: `series-${k}` }));
      base += n;
    });
    const title = svg('title');
    title.textContent = describeDay(day, parts.join(', '));
    group.append(title);
    // A highlight behind the day (shown by keyboard exploration).
    group.prepend(svg('rect', { x: margin.left + i * slot, y: margin.top, width: slot, height: plotHeight, class: 'highlight' }));
    chart.append(group);
    bars.push({ group, text: title.textContent });
    if (i % every === 0) {
      const text = svg('text', { x: margin.left + i * slot + slot / 2, y: height - 8, 'text-anchor': 'middle', class: 'axis' });
      text.textContent = dayLabel(day);
      chart.append(text);
    }
  });
  chart.append(svg('line', { x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0), class: 'baseline' }));

  let current = -1;
  const focusDay = (index) => {
    if (bars.length === 0) return;
    current = Math.min(bars.length - 1, Math.max(0, index));
    bars.forEach((b, i) => b.group.classList.toggle('current', i === current));
    caption.textContent = bars[current].text;
  };
  chart.addEventListener('keydown', (event) => {
    const moves = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: bars.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    focusDay(current < 0 && event.key === 'ArrowLeft' ? bars.length - 1 : moves[event.key]);
  });
  chart.addEventListener('blur', () => {
    bars.forEach((b) => b.group.classList.remove('current'));
  });

  const legend = document.createElement('ul');
  legend.className = 'chart-legend';
  series.forEach((s, k) => {
    const item = document.createElement('li');
    const swatch = svg('svg', { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true', focusable: 'false' }, svg('rect', { width: 14, height: 14, class: `series-${k}` }));
    item.append(swatch, document.createTextNode(` ${s.label}`));
    legend.append(item);
  });
  container.replaceChildren(chart, legend);
  caption.textContent = '';
  return { focusDay };
}
