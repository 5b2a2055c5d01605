/** The dashboard's numbers and words in the console's language (dashboard.js). */
import { language, locale, t } from './i18n.js';

/** The day of a moment in a time zone, as YYYY-MM-DD. */
export const dayIn = (moment, timeZone) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(moment));

export const number = (value, digits = 1) =>
  new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
export const percent = (value) =>
  new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(value);

/** A figure's value in its unit, in the console's language. */
export function formatValue(figure) {
  if (figure.unit === 'currency' && figure.value === null) return t('dashboard.notMeasured');
  if (figure.value === null) return '—';
  switch (figure.unit) {
    case 'ratio':
      return percent(figure.value);
    case 'minutes':
      return t('dashboard.minutes', { value: number(figure.value) });
    case 'rating':
      return number(figure.value, 2);
    case 'tokens':
    case 'count':
      return number(figure.value, 0);
    default:
      return number(figure.value);
  }
}

/** What a figure was computed from: "6 of 11", or "n = 4" for a mean or a percentile. */
export function formatCounts(key, figure) {
  const parts = [];
  if (figure.unit === 'ratio' && figure.denominator !== null)
    parts.push(t('dashboard.counts', figure));
  else if (key === 'llmTokens') parts.push(t('dashboard.calls', { count: figure.denominator }));
  else if (figure.denominator !== null && figure.unit !== 'count')
    parts.push(t('dashboard.sample', { count: figure.denominator }));
  if (figure.pending) parts.push(t('dashboard.pending', { count: figure.pending }));
  return parts.join(' · ');
}

/** The definition in the console's language: the API's English text, or the zh template. */
export function definitionOf(key, english, windows) {
  if (language() === 'en') return english;
  const template = t(`kpi.def.${key}`, windows);
  return template === `kpi.def.${key}` ? english : template;
}
