/** Why the bot handed the ticket over: the triage explanation and the knowledge-base evidence. */
import { h } from './dom.js';
import { categoryName, formatPercent, t } from './i18n.js';
import { codeName, reasonTexts } from './reasons.js';

const list = (items, empty = t('triage.none')) =>
  items.length
    ? h(
        'ul',
        { className: 'reasons' },
        items.map((item) => h('li', {}, item)),
      )
    : h('p', { className: 'muted' }, empty);

const field = (label, ...value) => [h('dt', {}, label), h('dd', {}, ...value)];

function entities(found = {}) {
  const rows = [];
  if (found.orderNumbers?.length)
    rows.push(field(t('triage.orderNumbers'), found.orderNumbers.join(', ')));
  if (found.trackingNumbers?.length) {
    rows.push(
      field(
        t('triage.trackingNumbers'),
        found.trackingNumbers
          .map((tracking) =>
            tracking.carrier ? `${tracking.number} (${tracking.carrier})` : tracking.number,
          )
          .join(', '),
      ),
    );
  }
  if (found.amounts?.length)
    rows.push(
      field(
        t('triage.amounts'),
        found.amounts.map((amount) => `${amount.value} ${amount.currency}`).join(', '),
      ),
    );
  // Entity kinds added later (passthrough in the schema) are shown as they come.
  for (const [kind, values] of Object.entries(found)) {
    if (
      ['orderNumbers', 'trackingNumbers', 'amounts'].includes(kind) ||
      !Array.isArray(values) ||
      !values.length
    )
      continue;
    const label = t(`entity.${kind}`);
    rows.push(
      field(
        label === `entity.${kind}` ? kind : label,
        values
          .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)))
          .join(', '),
      ),
    );
  }
  return rows.length
    ? h('dl', { className: 'entities' }, rows)
    : h('p', { className: 'muted' }, t('triage.none'));
}

export function triagePanel(triage) {
  if (!triage)
    return h(
      'section',
      { className: 'card triage' },
      h('h2', {}, t('triage.title')),
      h('p', { className: 'muted' }, t('triage.missing')),
    );
  return h(
    'section',
    { id: 'triage', className: 'card triage' },
    h('h2', {}, t('triage.title')),
    h(
      'dl',
      { className: 'facts' },
      field(
        t('triage.category'),
        h('strong', {}, categoryName(triage.category)),
        ' ',
        h(
          'span',
          { className: 'muted' },
          t('triage.confidence', { percent: formatPercent(triage.confidence) }),
        ),
      ),
      field(
        t('triage.sentiment'),
        t(`sentiment.${triage.sentiment.label}`),
        ' ',
        h('span', { className: 'muted' }, formatPercent(triage.sentiment.confidence)),
      ),
      field(
        t('triage.urgency'),
        h(
          'span',
          { className: `badge urgency urgency-${triage.urgency.level}` },
          t(`urgency.${triage.urgency.level}`),
          ' ',
          h('b', {}, triage.urgency.score),
        ),
      ),
      field(t('triage.decision'), t(`decision.${triage.decision.action}`)),
    ),
    h('h3', {}, t('triage.urgencyReasons')),
    list(reasonTexts(triage.urgency.details, triage.urgency.reasons)),
    h('h3', {}, t('triage.decisionReasons')),
    list(reasonTexts(triage.decision.details, triage.decision.reasons)),
    h('h3', {}, t('triage.flags')),
    triage.flags.length
      ? h(
          'p',
          { className: 'chips' },
          triage.flags.map((flag) =>
            h('span', { className: 'chip flag', title: flag, dataset: { flag } }, codeName(flag)),
          ),
        )
      : h('p', { className: 'muted' }, t('triage.none')),
    h('h3', {}, t('triage.entities')),
    entities(triage.entities),
    // Older results have only the English strings; newer ones carry every step typed.
    h(
      'details',
      {},
      h('summary', {}, t('triage.allReasons')),
      list(reasonTexts(triage.details, triage.reasons ?? [])),
    ),
  );
}

export function evidencePanel(evidence) {
  return h(
    'section',
    { id: 'evidence', className: 'card evidence' },
    h('h2', {}, t('evidence.title')),
    evidence.length
      ? h(
          'ol',
          { className: 'evidence-list' },
          evidence.map((entry) =>
            h(
              'li',
              { dataset: { entryId: entry.id } },
              h(
                'div',
                {},
                h('strong', {}, entry.title),
                ' ',
                h('span', { className: 'chip' }, entry.locale),
              ),
              h(
                'div',
                { className: 'evidence-meta' },
                h('code', {}, entry.id),
                h('meter', {
                  min: 0,
                  max: 1,
                  value: entry.score,
                  title: t('evidence.score', { score: entry.score.toFixed(2) }),
                }),
                h('span', { className: 'muted' }, entry.score.toFixed(2)),
              ),
            ),
          ),
        )
      : h('p', { className: 'muted' }, t('evidence.none')),
  );
}
