/**
 * The KPI dashboard (`#/dashboard?from=YYYY-MM-DD&to=YYYY-MM-DD&channel=&category=`): the
 * figures of GET /v1/stats/kpis for a range, grouped, each with its counts and its definition,
 * and charts of the daily contacts, the hand-off reasons and the ratings. Dates are days of the
 * service hours' time zone; `to` is the last day shown (the API's `to` is the day after).
 */
import { api } from './api.js';
import { dashboardCharts } from './dashboard-charts.js';
import { dayIn, definitionOf, formatCounts, formatValue } from './dashboard-format.js';
import { h, replaceChildren } from './dom.js';
import { categories, categoryName, locale, t } from './i18n.js';

const groups = {
  bot: [
    'automaticAnswerRate',
    'handoffRate',
    'autoAnswersConfirmed',
    'autoAnswersAssumed',
    'autoAnswersFollowedUp',
  ],
  resolution: ['firstContactResolution', 'solvesDurable', 'solvesReopened', 'repeatContactRate'],
  speed: [
    'firstResponseMean',
    'firstResponseP90',
    'firstResponseWithinTarget',
    'slaFirstResponse',
    'slaResolution',
  ],
  drafts: ['draftsUnchanged', 'draftsEdited', 'draftsRejected', 'meanEditDistance'],
  csat: ['csatScore', 'csatMeanRating', 'csatResponseRate'],
  llm: ['llmShare', 'llmTokens', 'llmFallbacks', 'llmCost'],
};

const isDate = (value) => /^\d{4}-\d{2}-\d{2}$/.test(value ?? '');
/** The day after a YYYY-MM-DD date (calendar arithmetic, no time zone involved). */
const nextDay = (date) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
function hashParams() {
  const query = location.hash.split('?')[1] ?? '';
  return Object.fromEntries(new URLSearchParams(query));
}

function card(key, figure, windows) {
  return h(
    'article',
    { className: 'kpi-card', dataset: { kpi: key, unit: figure.unit } },
    h('h3', { className: 'kpi-label' }, t(`kpi.${key}`)),
    h('p', { className: 'kpi-value' }, formatValue(figure)),
    h('p', { className: 'kpi-counts muted' }, formatCounts(key, figure)),
    h('p', { className: 'kpi-definition' }, definitionOf(key, figure.definition, windows)),
  );
}

function rangeForm(params, report) {
  const timezone = report?.range.timezone;
  const from = params.from ?? (report ? dayIn(report.range.from, timezone) : '');
  const to = params.to ?? (report ? dayIn(Date.parse(report.range.to) - 1, timezone) : '');
  const field = (id, labelKey, control) =>
    h('label', { className: 'kpi-field', htmlFor: id }, h('span', {}, t(labelKey)), control);
  const categorySelect = h(
    'select',
    { id: 'kpi-category' },
    h('option', { value: '' }, t('dashboard.category.all')),
    Object.keys(categories).map((key) =>
      h('option', { value: key, selected: key === params.category }, categoryName(key)),
    ),
  );
  const form = h(
    'form',
    {
      id: 'kpi-range',
      className: 'kpi-range row',
      onsubmit: (event) => {
        event.preventDefault();
        const next = new URLSearchParams();
        for (const [name, value] of Object.entries({
          from: form.querySelector('#kpi-from').value,
          to: form.querySelector('#kpi-to').value,
          channel: form.querySelector('#kpi-channel').value.trim(),
          category: categorySelect.value,
        })) {
          if (value) next.set(name, value);
        }
        location.hash = `#/dashboard?${next}`;
      },
    },
    field('kpi-from', 'dashboard.from', h('input', { id: 'kpi-from', type: 'date', value: from })),
    field('kpi-to', 'dashboard.to', h('input', { id: 'kpi-to', type: 'date', value: to })),
    field(
      'kpi-channel',
      'dashboard.channel',
      h('input', {
        id: 'kpi-channel',
        type: 'text',
        value: params.channel ?? '',
        placeholder: t('dashboard.channel.all'),
        size: 12,
      }),
    ),
    field('kpi-category', 'dashboard.category', categorySelect),
    h('button', { type: 'submit', className: 'primary', id: 'kpi-apply' }, t('dashboard.apply')),
  );
  return form;
}

export function dashboardView({ announce }) {
  const params = hashParams();
  const body = h('div', { id: 'kpi-body' }, h('p', { className: 'muted' }, t('dashboard.loading')));
  const head = h(
    'div',
    { className: 'kpi-head' },
    h('h1', {}, t('dashboard.title')),
    rangeForm(params),
  );
  const element = h('section', { className: 'dashboard-view' }, head, body);
  let disposed = false;

  async function load() {
    const query = new URLSearchParams();
    if (isDate(params.from)) query.set('from', params.from);
    if (isDate(params.to)) query.set('to', nextDay(params.to));
    if (params.channel) query.set('channel', params.channel);
    if (params.category) query.set('category', params.category);
    try {
      const report = await api(`/v1/stats/kpis?${query}`);
      if (disposed) return;
      head.replaceChild(rangeForm(params, report), head.querySelector('#kpi-range'));
      const timezone = report.range.timezone;
      replaceChildren(
        body,
        h(
          'p',
          { id: 'kpi-range-text', className: 'muted' },
          t('dashboard.range', {
            from: dayIn(report.range.from, timezone),
            to: dayIn(Date.parse(report.range.to) - 1, timezone),
            timezone,
            computed: new Intl.DateTimeFormat(locale(), {
              dateStyle: 'medium',
              timeStyle: 'short',
            }).format(new Date(report.computedAt)),
          }),
        ),
        dashboardCharts(report),
        Object.entries(groups).map(([group, keys]) =>
          h(
            'section',
            { className: 'kpi-group', dataset: { group } },
            h('h2', {}, t(`dashboard.group.${group}`)),
            h(
              'div',
              { className: 'kpi-cards' },
              keys.map((key) => card(key, report.kpis[key], report.windows)),
            ),
          ),
        ),
      );
      element.dataset.loaded = 'true';
    } catch (error) {
      if (!disposed) announce(error.message, 'error');
    }
  }

  load();
  return {
    element,
    dispose() {
      disposed = true;
    },
  };
}
