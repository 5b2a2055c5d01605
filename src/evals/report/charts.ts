/**
 * Inline SVG and HTML charts for the HTML report, with no external assets: the auto-reply
 * precision/coverage sweep as a line chart, the confusion matrix as a heatmap.
 */
import type { SweepPoint } from './report.js';

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}

const COLOURS = { precision: '#1f6feb', coverage: '#d97706' };

/** Precision and coverage of auto-replies (y) against the retrieval threshold (x). */
export function sweepChart(points: readonly SweepPoint[]): string {
  const width = 520;
  const height = 300;
  const margin = { left: 48, right: 130, top: 16, bottom: 40 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = (threshold: number) => margin.left + threshold * plotWidth;
  const y = (value: number) => margin.top + (1 - value) * plotHeight;
  const parts: string[] = [];
  for (let tick = 0; tick <= 10; tick += 2) {
    const value = tick / 10;
    parts.push(
      `<line x1="${x(0)}" x2="${x(1)}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e7eb"/>`,
      `<text x="${margin.left - 6}" y="${y(value) + 4}" text-anchor="end">${value.toFixed(1)}</text>`,
      `<text x="${x(value)}" y="${height - margin.bottom + 16}" text-anchor="middle">${value.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<line x1="${x(0)}" x2="${x(0)}" y1="${y(0)}" y2="${y(1)}" stroke="#9ca3af"/>`,
    `<line x1="${x(0)}" x2="${x(1)}" y1="${y(0)}" y2="${y(0)}" stroke="#9ca3af"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 6}" text-anchor="middle">retrieval threshold</text>`,
  );
  for (const series of ['precision', 'coverage'] as const) {
    const key = series === 'precision' ? 'autoReplyPrecision' : 'autoReplyCoverage';
    const defined = points.filter((point) => point[key] !== null);
    const path = defined
      .map((point) => `${x(point.threshold).toFixed(1)},${y(point[key]!).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<polyline fill="none" stroke="${COLOURS[series]}" stroke-width="2" points="${path}"/>`,
    );
    for (const point of defined) {
      parts.push(
        `<circle cx="${x(point.threshold).toFixed(1)}" cy="${y(point[key]!).toFixed(1)}" r="3" fill="${COLOURS[series]}"><title>threshold ${point.threshold}: ${series} ${point[key]!.toFixed(3)}, ${point.autoReplies} auto-replies</title></circle>`,
      );
    }
  }
  const legendX = width - margin.right + 14;
  parts.push(
    `<rect x="${legendX}" y="${margin.top + 4}" width="12" height="3" fill="${COLOURS.precision}"/><text x="${legendX + 18}" y="${margin.top + 9}">precision</text>`,
    `<rect x="${legendX}" y="${margin.top + 24}" width="12" height="3" fill="${COLOURS.coverage}"/><text x="${legendX + 18}" y="${margin.top + 29}">coverage</text>`,
  );
  return `<svg class="chart" role="img" aria-label="auto-reply precision and coverage by retrieval threshold" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-size="11" font-family="sans-serif">${parts.join('')}</svg>`;
}

interface ConfusionInput {
  labels: string[];
  matrix: number[][];
}

/** Share of the row (expected label) as a colour: green on the diagonal, red elsewhere. */
function shade(share: number, diagonal: boolean): string {
  if (share === 0) return 'transparent';
  const alpha = (0.12 + 0.88 * share).toFixed(2);
  return diagonal ? `rgba(22,163,74,${alpha})` : `rgba(220,38,38,${alpha})`;
}

/** A table for up to 40 labels; above that an SVG grid plus the most confused pairs. */
export function confusionHeatmap(confusion: ConfusionInput): string {
  const { labels, matrix } = confusion;
  const rowTotals = matrix.map((row) => row.reduce((sum, count) => sum + count, 0));
  if (labels.length <= 40) {
    const header = labels
      .map((label) => `<th class="vertical"><span>${escapeHtml(label)}</span></th>`)
      .join('');
    const rows = matrix.map((row, i) => {
      const cells = row
        .map((count, j) => {
          const share = rowTotals[i] ? count / rowTotals[i]! : 0;
          return `<td style="background:${shade(share, i === j)}" title="expected ${escapeHtml(labels[i]!)}, predicted ${escapeHtml(labels[j]!)}: ${count}">${count || ''}</td>`;
        })
        .join('');
      return `<tr><th>${escapeHtml(labels[i]!)}</th>${cells}<td class="total">${rowTotals[i]}</td></tr>`;
    });
    return `<table class="confusion"><thead><tr><th>expected \\ predicted</th>${header}<th>total</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  }
  const size = 600;
  const cell = size / labels.length;
  const rects: string[] = [];
  matrix.forEach((row, i) =>
    row.forEach((count, j) => {
      if (!count) return;
      const share = rowTotals[i] ? count / rowTotals[i]! : 0;
      rects.push(
        `<rect x="${(j * cell).toFixed(2)}" y="${(i * cell).toFixed(2)}" width="${cell.toFixed(2)}" height="${cell.toFixed(2)}" fill="${shade(share, i === j)}"><title>expected ${escapeHtml(labels[i]!)}, predicted ${escapeHtml(labels[j]!)}: ${count}</title></rect>`,
      );
    }),
  );
  const grid = `<svg class="chart" role="img" aria-label="confusion matrix" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}"><rect width="${size}" height="${size}" fill="#f9fafb" stroke="#d1d5db"/>${rects.join('')}</svg>`;
  const pairs = matrix
    .flatMap((row, i) =>
      row.map((count, j) => ({
        expected: labels[i]!,
        predicted: labels[j]!,
        count,
        diagonal: i === j,
      })),
    )
    .filter((pair) => !pair.diagonal && pair.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, 20);
  const table = pairs
    .map(
      (pair) =>
        `<tr><td>${escapeHtml(pair.expected)}</td><td>${escapeHtml(pair.predicted)}</td><td>${pair.count}</td></tr>`,
    )
    .join('');
  return `<p>${labels.length} labels, rows expected, columns predicted (hover a cell for its labels).</p>${grid}<h4>Most confused pairs</h4><table><thead><tr><th>expected</th><th>predicted</th><th>cases</th></tr></thead><tbody>${table}</tbody></table>`;
}

const SERIES_COLOURS = ['#1f6feb', '#d97706', '#16a34a', '#9333ea', '#dc2626', '#0891b2'];

export interface OperatingCurve {
  name: string;
  points: readonly SweepPoint[];
  /** The run's own auto-reply precision and coverage, at the configured thresholds. */
  measured?: { precision: number; coverage: number };
}

/**
 * Auto-reply precision (y) against coverage (x), one curve per variant: each point a
 * retrieval threshold of the sweep, the ring the operating point the run measured.
 */
export function precisionCoverageChart(curves: readonly OperatingCurve[]): string {
  const width = 520;
  const height = 300;
  const margin = { left: 48, right: 130, top: 16, bottom: 40 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const precisions = curves.flatMap((curve) => [
    ...curve.points.flatMap((point) =>
      point.autoReplyPrecision === null ? [] : [point.autoReplyPrecision],
    ),
    ...(curve.measured ? [curve.measured.precision] : []),
  ]);
  // Precision lives near the top: start the axis a little below the lowest value, at a tenth.
  const yMin = Math.max(0, Math.floor((Math.min(1, ...precisions) - 0.05) * 10) / 10);
  const x = (coverage: number) => margin.left + coverage * plotWidth;
  const y = (precision: number) => margin.top + (1 - (precision - yMin) / (1 - yMin)) * plotHeight;
  const parts: string[] = [];
  for (let tick = 0; tick <= 5; tick++) {
    const coverage = tick / 5;
    const precision = yMin + ((1 - yMin) * tick) / 5;
    parts.push(
      `<line x1="${x(0)}" x2="${x(1)}" y1="${y(precision).toFixed(1)}" y2="${y(precision).toFixed(1)}" stroke="#e5e7eb"/>`,
      `<text x="${margin.left - 6}" y="${(y(precision) + 4).toFixed(1)}" text-anchor="end">${precision.toFixed(2)}</text>`,
      `<text x="${x(coverage).toFixed(1)}" y="${height - margin.bottom + 16}" text-anchor="middle">${coverage.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<line x1="${x(0)}" x2="${x(0)}" y1="${y(yMin)}" y2="${y(1)}" stroke="#9ca3af"/>`,
    `<line x1="${x(0)}" x2="${x(1)}" y1="${y(yMin)}" y2="${y(yMin)}" stroke="#9ca3af"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 6}" text-anchor="middle">auto-reply coverage</text>`,
    `<text transform="translate(12 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">precision</text>`,
  );
  curves.forEach((curve, index) => {
    const colour = SERIES_COLOURS[index % SERIES_COLOURS.length]!;
    const defined = curve.points.filter(
      (point) => point.autoReplyPrecision !== null && point.autoReplyCoverage !== null,
    );
    const path = defined
      .map(
        (point) =>
          `${x(point.autoReplyCoverage!).toFixed(1)},${y(point.autoReplyPrecision!).toFixed(1)}`,
      )
      .join(' ');
    // Threshold variants share one curve (the sweep sets the threshold itself): dash the later ones so all show.
    const dash = index === 0 ? '' : ` stroke-dasharray="${4 + index * 2} 4"`;
    parts.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${path}"/>`,
    );
    for (const point of defined) {
      parts.push(
        `<circle cx="${x(point.autoReplyCoverage!).toFixed(1)}" cy="${y(point.autoReplyPrecision!).toFixed(1)}" r="3" fill="${colour}"><title>${escapeHtml(curve.name)}, threshold ${point.threshold}: precision ${point.autoReplyPrecision!.toFixed(3)}, coverage ${point.autoReplyCoverage!.toFixed(3)}</title></circle>`,
      );
    }
    if (curve.measured) {
      parts.push(
        `<circle class="measured" cx="${x(curve.measured.coverage).toFixed(1)}" cy="${y(curve.measured.precision).toFixed(1)}" r="7" fill="none" stroke="${colour}" stroke-width="2"><title>${escapeHtml(curve.name)} as run: precision ${curve.measured.precision.toFixed(3)}, coverage ${curve.measured.coverage.toFixed(3)}</title></circle>`,
      );
    }
    const legendY = margin.top + 4 + index * 20;
    parts.push(
      `<rect x="${width - margin.right + 14}" y="${legendY}" width="12" height="3" fill="${colour}"/><text x="${width - margin.right + 32}" y="${legendY + 5}">${escapeHtml(curve.name.slice(0, 16))}</text>`,
    );
  });
  const legendY = margin.top + 4 + curves.length * 20;
  parts.push(
    `<circle cx="${width - margin.right + 20}" cy="${legendY + 2}" r="5" fill="none" stroke="#374151" stroke-width="1.5"/><text x="${width - margin.right + 32}" y="${legendY + 6}">as run</text>`,
  );
  return `<svg class="chart" role="img" aria-label="auto-reply precision against coverage" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-size="11" font-family="sans-serif">${parts.join('')}</svg>`;
}
