/**
 * "Try a question" beside the knowledge base: how a customer's question would match now (the
 * top entries with their scores and signals) and what triage would do with it, from
 * `POST /v1/kb/preview` (nothing stored). In the editor, the unsaved draft can be compared too:
 * the server does that by the embedder alone, and the panel says it is an approximation.
 */
import { api } from './api.js';
import { h, replaceChildren } from './dom.js';
import { categoryName, formatPercent, t } from './i18n.js';
import { reasonTexts } from './reasons.js';

const preview = (body) => api('/v1/kb/preview', { method: 'POST', body });
const number = (value) => value.toFixed(2);

function decision(triage) {
  const automatic = triage.action === 'auto_reply';
  return h(
    'div',
    { className: 'kb-preview-decision' },
    h(
      'p',
      { className: 'chips' },
      h(
        'span',
        {
          id: 'kb-preview-action',
          className: `badge kb-action kb-action-${triage.action}`,
        },
        t(automatic ? 'kb.preview.automatic' : 'kb.preview.handoff'),
      ),
      h('span', { className: 'badge' }, categoryName(triage.category)),
      h(
        'span',
        { className: 'badge' },
        t('kb.preview.confidence', { value: formatPercent(triage.confidence) }),
      ),
    ),
    h(
      'ul',
      { className: 'kb-preview-reasons' },
      reasonTexts(triage.details, triage.reasons).map((reason) => h('li', {}, reason)),
    ),
    h(
      'details',
      { className: 'kb-preview-reply' },
      h('summary', {}, t(automatic ? 'kb.preview.reply' : 'kb.preview.draftReply')),
      h('div', { className: 'kb-readonly' }, triage.reply),
    ),
  );
}

function matchTable(matches) {
  if (matches.length === 0) return h('p', { className: 'muted' }, t('kb.preview.noMatch'));
  return h(
    'table',
    { className: 'kb-preview-matches' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['entry', 'score', 'signals'].map((column) =>
          h('th', { scope: 'col' }, t(`kb.preview.column.${column}`)),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      matches.map((match) =>
        h(
          'tr',
          { className: 'kb-preview-match', dataset: { entryId: match.id } },
          h(
            'td',
            {},
            match.title,
            ' ',
            h('code', { className: 'muted' }, `${match.id}.${match.locale}`),
            h('div', { className: 'muted kb-evidence', title: match.evidence }, match.evidence),
          ),
          h('td', { className: 'kb-score' }, formatPercent(match.score)),
          h(
            'td',
            { className: 'muted kb-signals', title: t('kb.preview.signalsHelp') },
            match.signals
              ? t('kb.preview.signals', {
                  dense: number(match.signals.dense),
                  keyword: number(match.signals.keyword),
                  lexical: number(match.signals.lexical),
                  model: number(match.signals.model),
                })
              : '—',
          ),
        ),
      ),
    ),
  );
}

function draftBlock(draft) {
  return h(
    'div',
    { id: 'kb-preview-draft', className: 'kb-preview-draft' },
    h('h3', {}, t('kb.preview.draftTitle')),
    h('p', { className: 'notice-warning kb-approximation' }, t('kb.preview.approximation')),
    draft.heldReasons.length
      ? h(
          'p',
          { className: 'kb-held-warning' },
          t('kb.preview.wouldHold', {
            reasons: draft.heldReasons
              .map((reason) => `${t(`kb.reason.${reason.code}`)} “${reason.evidence}”`)
              .join('; '),
          }),
        )
      : null,
    draft.nearest
      ? h(
          'p',
          { className: 'muted' },
          t('kb.preview.nearest', {
            text: draft.nearest.text,
            similarity: number(draft.nearest.similarity),
          }),
        )
      : null,
    h(
      'ol',
      { className: 'kb-preview-ranking' },
      draft.ranking.map((item) =>
        h(
          'li',
          { className: item.draft ? 'kb-draft-rank' : '' },
          item.draft ? h('strong', {}, t('kb.preview.yourDraft'), ' ') : null,
          item.title,
          ' ',
          h('code', { className: 'muted' }, item.entryId),
          ` ${number(item.similarity)}`,
        ),
      ),
    ),
  );
}

/**
 * The panel. `draft()` returns the editor's unsaved fields (with documentId / entryId), or
 * undefined where there is no editor (the list page).
 */
export function previewPanel({ announce, draft, locale: fixedLocale }) {
  const question = h('textarea', {
    id: 'kb-preview-question',
    rows: 2,
    maxLength: 2000,
    placeholder: t('kb.preview.placeholder'),
    attrs: { 'aria-label': t('kb.preview.question') },
  });
  const localePicker = h(
    'select',
    { id: 'kb-preview-locale', attrs: { 'aria-label': t('kb.preview.language') } },
    ['', 'zh', 'en'].map((code) =>
      h(
        'option',
        { value: code, selected: code === (fixedLocale ?? '') },
        code === '' ? t('kb.preview.anyLanguage') : code === 'zh' ? '中文' : 'English',
      ),
    ),
  );
  const includeDraft = draft
    ? h('input', { type: 'checkbox', id: 'kb-preview-include-draft', checked: true })
    : null;
  const result = h('div', { id: 'kb-preview-result', className: 'kb-preview-result' });
  const run = h(
    'button',
    { type: 'submit', id: 'kb-preview-run', className: 'primary' },
    t('kb.preview.run'),
  );

  async function submit(event) {
    event.preventDefault();
    const text = question.value.trim();
    if (!text) return;
    run.disabled = true;
    try {
      const fields = includeDraft?.checked ? draft() : undefined;
      const answer = await preview({
        question: text,
        ...(localePicker.value ? { locale: localePicker.value } : {}),
        ...(fields ? { draft: fields } : {}),
      });
      replaceChildren(
        result,
        decision(answer.triage),
        h('h3', {}, t('kb.preview.matchesTitle')),
        matchTable(answer.matches),
        answer.draft ? draftBlock(answer.draft) : null,
      );
    } catch (error) {
      if (error.status === 401) return;
      announce(t('kb.preview.failed', { message: error.message }), 'error');
    } finally {
      run.disabled = false;
    }
  }

  return h(
    'aside',
    { className: 'card kb-preview' },
    h('h2', {}, t('kb.preview.title')),
    h('p', { className: 'muted' }, t('kb.preview.intro')),
    h(
      'form',
      { id: 'kb-preview-form', className: 'kb-preview-form', onsubmit: submit },
      question,
      h(
        'div',
        { className: 'row' },
        localePicker,
        includeDraft
          ? h(
              'label',
              { className: 'inline' },
              includeDraft,
              h('span', {}, t('kb.preview.includeDraft')),
            )
          : null,
        h('span', { className: 'spacer' }),
        run,
      ),
    ),
    result,
  );
}
