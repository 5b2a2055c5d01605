/** The dashboard's charts: contacts per day, hand-off reasons and ratings (dashboard.js). */
import { barChart, dailyChart } from './charts.js';
import { definitionOf, percent } from './dashboard-format.js';
import { h } from './dom.js';
import { t } from './i18n.js';

const reasonLabel = (code) => {
  const label = t(`kpi.reason.${code}`);
  return label === `kpi.reason.${code}` ? code.replace(/_/g, ' ') : label;
};

export function dashboardCharts(report) {
  const { windows } = report;
  const daily = report.daily.days;
  const reasons = report.handoffReasons.reasons;
  const ratings = report.csatDistribution.counts;
  const answered = ratings.reduce((sum, count) => sum + count, 0);
  const empty = h('p', { className: 'muted' }, t('dashboard.chart.empty'));
  const legend = h(
    'p',
    { className: 'chart-legend' },
    h('span', { className: 'swatch swatch-automatic' }),
    t('dashboard.chart.automatic'),
    h('span', { className: 'swatch swatch-handoff' }),
    t('dashboard.chart.handoffs'),
    h('span', { className: 'swatch swatch-rate' }),
    t('dashboard.chart.rate'),
  );
  return h(
    'div',
    { className: 'kpi-charts' },
    h(
      'figure',
      { id: 'kpi-daily', className: 'card kpi-chart kpi-chart-wide' },
      h('h2', {}, t('dashboard.chart.daily')),
      dailyChart(daily, {
        label: t('dashboard.chart.daily'),
        rateLabel: t('dashboard.chart.rate'),
        dayTitle: (day) =>
          t('dashboard.dayTitle', {
            date: day.date,
            contacts: day.contacts,
            automatic: day.automaticAnswers,
            handoffs: day.handoffs,
          }),
      }),
      legend,
      h(
        'figcaption',
        { className: 'kpi-definition' },
        definitionOf('daily', report.daily.definition, windows),
      ),
    ),
    h(
      'figure',
      { id: 'kpi-reasons', className: 'card kpi-chart' },
      h('h2', {}, t('dashboard.chart.reasons')),
      reasons.length
        ? barChart(
            reasons.map((reason) => ({
              key: reason.code,
              label: reasonLabel(reason.code),
              value: reason.count,
              text: `${reason.count} · ${percent(reason.share)}`,
            })),
            { label: t('dashboard.chart.reasons'), kind: 'reason' },
          )
        : empty.cloneNode(true),
      h(
        'figcaption',
        { className: 'kpi-definition' },
        definitionOf('handoffReasons', report.handoffReasons.definition, windows),
      ),
    ),
    h(
      'figure',
      { id: 'kpi-ratings', className: 'card kpi-chart' },
      h('h2', {}, t('dashboard.chart.csat')),
      answered
        ? barChart(
            ratings
              .map((count, index) => ({
                key: String(index + 1),
                label: t('dashboard.stars', { rating: index + 1 }),
                value: count,
                text: `${count} · ${percent(count / answered)}`,
              }))
              .reverse(),
            { label: t('dashboard.chart.csat'), kind: 'rating' },
          )
        : empty.cloneNode(true),
      h(
        'figcaption',
        { className: 'kpi-definition' },
        definitionOf('csatDistribution', report.csatDistribution.definition, windows),
      ),
    ),
  );
}
