/**
 * Small charts as inline SVG, drawn from data with the DOM (no library, nothing the strict
 * Content-Security-Policy would refuse): colours come from classes in console.css, and every
 * bar has a <title> that the browser shows on hover.
 */

const ns = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children (strings become text nodes). */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(ns, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const round = (value) => Math.round(value * 10) / 10;

/**
 * Stacked daily bars (automatic answers below, hand-offs above) on a count axis, with the
 * automatic-answer rate as a line on a 0-100 % axis at the right.
 */
export function dailyChart(days, { label, dayTitle, rateLabel }) {
  const width = 720;
  const height = 240;
  const margin = { left: 40, right: 48, top: 12, bottom: 28 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const highest = Math.max(1, ...days.map((day) => day.contacts));
  // A top divisible by 2 and 4 keeps the three ticks whole numbers.
  const top = Math.ceil(highest / 4) * 4;
  const band = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(2, Math.min(40, band * 0.6));
  const y = (count) => margin.top + plotHeight * (1 - count / top);
  const x = (index) => margin.left + band * index + band / 2;
  const every = Math.ceil(days.length / 10);

  const grid = [0, top / 2, top].map((tick) => [
    svg('line', {
      class: 'chart-grid',
      x1: margin.left,
      x2: width - margin.right,
      y1: y(tick),
      y2: y(tick),
    }),
    svg(
      'text',
      { class: 'chart-tick', x: margin.left - 6, y: y(tick) + 4, 'text-anchor': 'end' },
      round(tick),
    ),
  ]);
  const rateTicks = [0, 0.5, 1].map((rate) =>
    svg(
      'text',
      { class: 'chart-tick chart-tick-rate', x: width - margin.right + 6, y: y(rate * top) + 4 },
      `${rate * 100}%`,
    ),
  );
  const bars = days.map((day, index) => {
    const left = x(index) - barWidth / 2;
    return svg(
      'g',
      {
        class: 'chart-day',
        'data-date': day.date,
        'data-automatic': day.automaticAnswers,
        'data-handoffs': day.handoffs,
      },
      svg('title', {}, dayTitle(day)),
      svg('rect', {
        class: 'chart-bar-automatic',
        x: left,
        width: barWidth,
        y: y(day.automaticAnswers),
        height: y(0) - y(day.automaticAnswers),
      }),
      svg('rect', {
        class: 'chart-bar-handoff',
        x: left,
        width: barWidth,
        y: y(day.contacts),
        height: y(day.automaticAnswers) - y(day.contacts),
      }),
      index % every === 0
        ? svg(
            'text',
            { class: 'chart-label', x: x(index), y: height - 8, 'text-anchor': 'middle' },
            day.date.slice(5),
          )
        : null,
    );
  });
  // The rate only where there were contacts: an empty day has no rate, not a rate of 0.
  const points = days
    .map((day, index) =>
      day.contacts
        ? [x(index), margin.top + plotHeight * (1 - day.automaticAnswers / day.contacts)]
        : null,
    )
    .filter(Boolean);
  const line = points.length
    ? svg(
        'g',
        { class: 'chart-rate' },
        svg('title', {}, rateLabel),
        svg('polyline', {
          points: points.map(([px, py]) => `${round(px)},${round(py)}`).join(' '),
        }),
        points.map(([px, py]) => svg('circle', { cx: round(px), cy: round(py), r: 3 })),
      )
    : null;
  return svg(
    'svg',
    {
      class: 'chart chart-daily',
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': label,
    },
    grid,
    rateTicks,
    bars,
    line,
  );
}

/** Horizontal bars, one row per item `{ label, value, text, title }`, scaled to the largest value. */
export function barChart(items, { label, kind = 'reason' }) {
  const width = 560;
  const row = 26;
  const labelWidth = 210;
  const barArea = width - labelWidth - 70;
  const height = Math.max(1, items.length) * row + 6;
  const highest = Math.max(1, ...items.map((item) => item.value));
  return svg(
    'svg',
    {
      class: `chart chart-bars chart-${kind}`,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': label,
    },
    items.map((item, index) => {
      const top = 4 + index * row;
      const length = (barArea * item.value) / highest;
      return svg(
        'g',
        { class: 'chart-row', 'data-key': item.key, 'data-value': item.value },
        svg('title', {}, item.title ?? `${item.label}: ${item.text}`),
        svg(
          'text',
          { class: 'chart-row-label', x: labelWidth - 8, y: top + 16, 'text-anchor': 'end' },
          item.label,
        ),
        svg('rect', {
          class: `chart-bar-${kind}`,
          x: labelWidth,
          y: top + 3,
          width: Math.max(length, item.value ? 2 : 0),
          height: row - 8,
          rx: 3,
        }),
        svg(
          'text',
          { class: 'chart-row-value', x: labelWidth + length + 6, y: top + 16 },
          item.text,
        ),
      );
    }),
  );
}
