/**
 * The knowledge base in the console (`#/kb`): every FAQ entry and policy in use, searched by
 * words and filtered by kind and status, with a panel to try a question against it. Opening a
 * row goes to its editor (`#/kb/<id>`, kb-editor.js); admins create one at `#/kb/new`.
 */
import { api } from './api.js';
import { h, replaceChildren } from './dom.js';
import { categoryName, formatTime, t } from './i18n.js';
import { kbEditorView, kbSourceLabel, kbStatusBadge } from './kb-editor.js';
import { previewPanel } from './kb-preview.js';

const kinds = ['', 'faq', 'policy'];
const statuses = ['', 'active', 'held', 'deleted', 'superseded'];
// Kept across visits, so going back from an entry shows the same list.
const filter = { q: '', kind: '', status: '' };

export const listDocuments = (query) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  return api(`/v1/kb/documents?${params}`);
};

/** `#/kb`, `#/kb/new` and `#/kb/<id>`; undefined for any other page. */
export function kbRoute(hash, context) {
  const match = hash.match(/^#\/kb(?:\/([\w-]+))?$/);
  if (!match) return undefined;
  return match[1] ? kbEditorView(match[1], context) : kbListView(context);
}

function kbListView({ user, announce }) {
  const body = h('tbody', { id: 'kb-rows' });
  const count = h('span', { id: 'kb-count', className: 'muted' });
  const search = h('input', {
    type: 'search',
    id: 'kb-search',
    value: filter.q,
    placeholder: t('kb.searchPlaceholder'),
    attrs: { 'aria-label': t('kb.search') },
  });
  let typing;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => ((filter.q = search.value.trim()), load()), 250);
  });
  const picker = (id, values, key, label) =>
    h(
      'label',
      { className: 'inline' },
      h('span', {}, t(label)),
      h(
        'select',
        { id, onchange: (event) => ((filter[key] = event.target.value), load()) },
        values.map((value) =>
          h('option', { value, selected: value === filter[key] }, t(`kb.${key}.${value || 'all'}`)),
        ),
      ),
    );

  function row(document) {
    const open = () => (location.hash = `#/kb/${document.id}`);
    return h(
      'tr',
      {
        className: 'kb-row',
        dataset: {
          documentId: document.id,
          entryId: document.entryId,
          locale: document.locale,
          status: document.status,
        },
        onclick: open,
      },
      h(
        'td',
        {},
        h('a', { href: `#/kb/${document.id}`, className: 'kb-title' }, document.title),
        h('div', {}, h('code', { className: 'muted' }, document.entryId)),
      ),
      h('td', {}, document.locale === 'zh' ? '中文' : 'English'),
      h('td', {}, t(`kb.kind.${document.kind}`)),
      h('td', {}, document.kind === 'faq' ? categoryName(document.category) : '—'),
      h(
        'td',
        {},
        kbStatusBadge(document.status),
        document.kind === 'faq' && !document.autoReply
          ? h('span', { className: 'badge', title: t('kb.personOnlyHelp') }, t('kb.personOnly'))
          : null,
      ),
      h('td', {}, kbSourceLabel(document.source)),
      h(
        'td',
        { className: 'muted' },
        formatTime(document.updatedAt),
        document.editedBy ? ` · ${document.editedBy}` : '',
      ),
    );
  }

  let stopped = false;
  async function load() {
    try {
      const { documents } = await listDocuments(filter);
      if (stopped) return;
      documents.sort(
        (a, b) =>
          a.kind.localeCompare(b.kind) ||
          a.entryId.localeCompare(b.entryId) ||
          a.locale.localeCompare(b.locale),
      );
      count.textContent = t('kb.count', { count: documents.length });
      replaceChildren(
        body,
        documents.length
          ? documents.map(row)
          : h('tr', {}, h('td', { colSpan: 7, className: 'empty muted' }, t('kb.empty'))),
      );
    } catch (error) {
      if (stopped || error.status === 401) return;
      announce(
        error.status === 0 ? t('error.network') : t('error.generic', { message: error.message }),
        'error',
      );
    }
  }
  load();

  const columns = ['title', 'language', 'kind', 'category', 'status', 'source', 'updated'];
  const element = h(
    'section',
    { className: 'kb-view' },
    h(
      'div',
      { className: 'toolbar' },
      h('h1', {}, t('kb.title')),
      search,
      picker('kb-kind', kinds, 'kind', 'kb.kindLabel'),
      picker('kb-status', statuses, 'status', 'kb.statusLabel'),
      count,
      h('span', { className: 'spacer' }),
      user.role === 'admin'
        ? h('a', { id: 'kb-new', className: 'button primary', href: '#/kb/new' }, t('kb.new'))
        : null,
    ),
    h(
      'div',
      { className: 'kb-layout' },
      h(
        'div',
        { className: 'card table-card' },
        h(
          'table',
          { id: 'kb-table', className: 'queue kb-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              columns.map((column) => h('th', { scope: 'col' }, t(`kb.column.${column}`))),
            ),
          ),
          body,
        ),
      ),
      previewPanel({ announce }),
    ),
  );
  return {
    element,
    dispose() {
      stopped = true;
      clearTimeout(typing);
    },
  };
}
