/**
 * Inline SVG and HTML charts for the HTML report, with no external assets: the auto-reply
 * precision/coverage sweep as a line chart, the confusion matrix as a heatmap.
 */
import type { SweepPoint } from './report.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

const COLOURS = { precision: '#1f6feb', coverage: '#d97706' };

/** Precision and coverage of auto-replies (y) against the retrieval threshold (x). */
export function sweepChart(points: readonly SweepPoint[]): string {
  const width = 560;
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
    const path = defined.map((point) => `${x(point.threshold).toFixed(1)},${y(point[key]!).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${COLOURS[series]}" stroke-width="2" points="${path}"/>`);
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
    const header = labels.map((label) => `<th class="vertical"><span>${escapeHtml(label)}</span></th>`).join('');
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
    .flatMap((row, i) => row.map((count, j) => ({ expected: labels[i]!, predicted: labels[j]!, count, diagonal: i === j })))
    .filter((pair) => !pair.diagonal && pair.count > 0)
    .sort((a, b) => b.count - a.count)
    .slice(0, 20);
  const table = pairs.map((pair) => `<tr><td>${escapeHtml(pair.expected)}</td><td>${escapeHtml(pair.predicted)}</td><td>${pair.count}</td></tr>`).join('');
  return `<p>${labels.length} labels, rows expected, columns predicted (hover a cell for its labels).</p>${grid}<h4>Most confused pairs</h4><table><thead><tr><th>expected</th><th>predicted</th><th>cases</th></tr></thead><tbody>${table}</tbody></table>`;
}
