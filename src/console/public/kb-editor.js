/**
 * One knowledge-base document in the console (`#/kb/<id>`, `#/kb/new`): its fields as a form
 * (an FAQ entry's title, category, whether the bot may send it alone, questions, tags and
 * answer; a policy's title and text), saved as a new version that every instance uses at once
 * or held for review when the screen flags it; delete and restore with a confirmation; the
 * review of a held version; its versions and audit history; and the question preview with the
 * unsaved draft. Agents see it read-only.
 */
import { api } from './api.js';
import { h, replaceChildren } from './dom.js';
import { categories, categoryName, formatTime, t } from './i18n.js';
import { previewPanel } from './kb-preview.js';

const documentPath = (id) => `/v1/kb/documents/${encodeURIComponent(id)}`;

/** Live, held, deleted or kept aside, as a badge. */
export const kbStatusBadge = (status) =>
  h('span', { className: `badge kb-status kb-status-${status}` }, t(`kb.status.${status}`));

/** Where a version came from: the shipped folder, the console, an upload, another folder. */
export function kbSourceLabel(source) {
  if (['knowledge-base', 'console', 'upload'].includes(source)) return t(`kb.source.${source}`);
  return t('kb.source.other', { source });
}

const reasonList = (reasons) =>
  reasons.map((reason) => `${t(`kb.reason.${reason.code}`)} “${reason.evidence}”`).join('; ');

const blank = {
  kind: 'faq',
  title: '',
  category: 'other',
  autoReply: true,
  questions: [],
  tags: [],
  answer: '',
};

export function kbEditorView(id, { user, announce }) {
  const isAdmin = user.role === 'admin';
  const creating = id === 'new';
  const element = h(
    'section',
    { className: 'kb-editor-view' },
    h('p', { className: 'muted' }, '…'),
  );
  let current;

  const field = (label, control, help) =>
    h(
      'label',
      { className: 'kb-field' },
      h('span', {}, t(label)),
      control,
      help ? h('small', { className: 'muted' }, t(help)) : null,
    );

  /** The form's controls for one kind; `read()` turns them back into the API's fields. */
  function controls(fields) {
    const readOnly = !isAdmin || (current && ['superseded', 'deleted'].includes(current.status));
    const title = h('input', {
      id: 'kb-field-title',
      value: fields.title,
      maxLength: 300,
      disabled: readOnly,
    });
    if (fields.kind === 'policy') {
      const text = h('textarea', {
        id: 'kb-field-text',
        rows: 22,
        value: fields.text ?? '',
        disabled: readOnly,
      });
      return {
        element: [field('kb.field.title', title), field('kb.field.text', text)],
        read: () => ({ kind: 'policy', title: title.value.trim(), text: text.value.trim() }),
      };
    }
    const category = h(
      'select',
      { id: 'kb-field-category', disabled: readOnly },
      Object.keys(categories).map((key) =>
        h('option', { value: key, selected: key === fields.category }, categoryName(key)),
      ),
    );
    const autoReply = h('input', {
      type: 'checkbox',
      id: 'kb-field-auto-reply',
      checked: fields.autoReply,
      disabled: readOnly,
    });
    const questions = h('textarea', {
      id: 'kb-field-questions',
      rows: Math.min(14, Math.max(6, fields.questions.length + 1)),
      value: fields.questions.join('\n'),
      disabled: readOnly,
    });
    const tags = h('input', {
      id: 'kb-field-tags',
      value: (fields.tags ?? []).join(', '),
      disabled: readOnly,
    });
    const answer = h('textarea', {
      id: 'kb-field-answer',
      rows: 12,
      value: fields.answer ?? '',
      disabled: readOnly,
    });
    return {
      element: [
        field('kb.field.title', title),
        h(
          'div',
          { className: 'row kb-field-row' },
          field('kb.field.category', category),
          h(
            'label',
            { className: 'inline kb-auto-reply', title: t('kb.field.autoReplyHelp') },
            autoReply,
            h('span', {}, t('kb.field.autoReply')),
          ),
        ),
        field('kb.field.questions', questions, 'kb.field.questionsHelp'),
        field('kb.field.tags', tags, 'kb.field.tagsHelp'),
        field('kb.field.answer', answer, 'kb.field.answerHelp'),
      ],
      read: () => ({
        kind: 'faq',
        title: title.value.trim(),
        category: category.value,
        autoReply: autoReply.checked,
        questions: questions.value
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
        tags: tags.value
          .split(/[,，]/)
          .map((tag) => tag.trim())
          .filter(Boolean),
        answer: answer.value.trim(),
      }),
    };
  }

  /** An in-page confirmation under the buttons (no browser dialog): `run` on confirm. */
  function confirmBox(slot, message, label, run) {
    replaceChildren(
      slot,
      h(
        'div',
        { id: 'kb-confirm', className: 'kb-confirm', attrs: { role: 'alertdialog' } },
        h('p', {}, message),
        h(
          'div',
          { className: 'row' },
          h(
            'button',
            { type: 'button', id: 'kb-confirm-yes', className: 'danger', onclick: run },
            label,
          ),
          h(
            'button',
            { type: 'button', id: 'kb-confirm-no', onclick: () => replaceChildren(slot) },
            t('kb.cancel'),
          ),
        ),
      ),
    );
  }

  async function act(work, done, kind = 'success') {
    try {
      const outcome = await work();
      const tell = () => {
        if (outcome?.status === 'held')
          announce(t('kb.savedHeld', { reasons: reasonList(outcome.heldReasons) }), 'warning');
        else if (outcome?.status === 'unchanged') announce(t('kb.unchanged'));
        else announce(done, kind);
      };
      const next = outcome?.document ? `#/kb/${outcome.document.id}` : '#/kb';
      if (location.hash === next) {
        await load();
        tell();
      } else {
        // The router clears the notice on a page change: say it once the next page is shown.
        window.addEventListener('hashchange', tell, { once: true });
        location.hash = next;
      }
    } catch (error) {
      if (error.status === 401) return;
      announce(t('kb.failed', { message: error.message }), 'error');
    }
  }

  function banners(detail) {
    const live = detail.versions.find((version) => version.status === 'active');
    return [
      detail.status === 'held'
        ? h(
            'div',
            { id: 'kb-held', className: 'notice notice-warning kb-banner' },
            h('p', {}, t('kb.heldBanner', { reasons: reasonList(detail.heldReasons) })),
            isAdmin
              ? h(
                  'div',
                  { className: 'row' },
                  h(
                    'button',
                    {
                      type: 'button',
                      id: 'kb-approve',
                      className: 'primary',
                      onclick: () =>
                        act(async () => {
                          await api(`${documentPath(detail.id)}/approve`, { method: 'POST' });
                          return { document: { id: detail.id } };
                        }, t('kb.approved')),
                    },
                    t('kb.approve'),
                  ),
                  h(
                    'button',
                    {
                      type: 'button',
                      id: 'kb-reject',
                      onclick: () =>
                        act(async () => {
                          await api(`${documentPath(detail.id)}/reject`, { method: 'POST' });
                          return live ? { document: { id: live.id } } : undefined;
                        }, t('kb.rejected')),
                    },
                    t('kb.reject'),
                  ),
                )
              : null,
          )
        : null,
      detail.pendingId
        ? h(
            'p',
            { id: 'kb-pending', className: 'notice notice-warning kb-banner' },
            t('kb.pendingBanner'),
            ' ',
            h('a', { href: `#/kb/${detail.pendingId}` }, t('kb.openPending')),
          )
        : null,
      detail.status === 'superseded' || detail.status === 'deleted'
        ? h(
            'p',
            { className: 'notice kb-banner' },
            t(`kb.${detail.status}Banner`),
            live && live.id !== detail.id
              ? h('span', {}, ' ', h('a', { href: `#/kb/${live.id}` }, t('kb.openLive')))
              : null,
          )
        : null,
      detail.source === 'console' && detail.restorable && detail.status === 'active'
        ? h('p', { className: 'muted kb-banner' }, t('kb.overridesShipped'))
        : null,
    ];
  }

  function history(detail) {
    if (!detail || detail.history.length === 0) return null;
    return h(
      'div',
      { className: 'card kb-history' },
      h('h2', {}, t('kb.history')),
      h(
        'ol',
        { id: 'kb-history' },
        detail.history.map((entry) =>
          h(
            'li',
            {},
            h('strong', {}, t(`kb.action.${entry.action.replace('kb.document.', '')}`)),
            ' · ',
            entry.actor ?? '—',
            ' · ',
            h('span', { className: 'muted' }, formatTime(entry.at)),
            entry.summary ? h('div', { className: 'muted kb-summary' }, entry.summary) : null,
          ),
        ),
      ),
    );
  }

  function render(detail) {
    current = detail;
    const fields = detail ? detail.fields : { ...blank };
    let form = controls(fields);
    const fieldSlot = h('div', { className: 'kb-fields' }, form.element);
    const confirmSlot = h('div', { id: 'kb-confirm-slot' });

    const entryId = creating
      ? h('input', { id: 'kb-entry-id', placeholder: 'gift_card_expiry', maxLength: 80 })
      : null;
    const localePicker = creating
      ? h(
          'select',
          { id: 'kb-locale' },
          ['zh', 'en'].map((code) =>
            h('option', { value: code }, code === 'zh' ? '中文' : 'English'),
          ),
        )
      : null;
    const kindPicker = creating
      ? h(
          'select',
          {
            id: 'kb-kind-field',
            onchange: (event) => {
              form = controls(
                event.target.value === 'faq'
                  ? { ...blank }
                  : { kind: 'policy', title: '', text: '' },
              );
              replaceChildren(fieldSlot, form.element);
            },
          },
          ['faq', 'policy'].map((kind) => h('option', { value: kind }, t(`kb.kind.${kind}`))),
        )
      : null;

    const draft = () =>
      creating
        ? { ...(entryId.value.trim() ? { entryId: entryId.value.trim() } : {}), ...form.read() }
        : { documentId: detail.id, ...form.read() };

    const save = () =>
      act(
        () =>
          creating
            ? api('/v1/kb/entries', {
                method: 'POST',
                body: { entryId: entryId.value.trim(), locale: localePicker.value, ...form.read() },
              })
            : api(documentPath(detail.id), {
                method: 'PUT',
                body: { ...form.read(), baseContentHash: detail.contentHash },
              }),
        t(creating ? 'kb.created' : 'kb.saved'),
      );
    const remove = () =>
      confirmBox(
        confirmSlot,
        t(
          detail.source === 'knowledge-base' || detail.restorable
            ? 'kb.deleteConfirmShipped'
            : 'kb.deleteConfirm',
          {
            title: detail.fields.title,
          },
        ),
        t('kb.delete'),
        () =>
          act(async () => {
            await api(documentPath(detail.id), { method: 'DELETE' });
            return undefined;
          }, t('kb.deleted')),
      );
    const restore = () =>
      confirmBox(confirmSlot, t('kb.restoreConfirm'), t('kb.restore'), () =>
        act(() => api(`${documentPath(detail.id)}/restore`, { method: 'POST' }), t('kb.restored')),
      );
    const editable = isAdmin && (creating || ['active', 'held'].includes(detail.status));
    const actions = isAdmin
      ? h(
          'div',
          { className: 'row kb-actions' },
          editable
            ? h(
                'button',
                { type: 'button', id: 'kb-save', className: 'primary', onclick: save },
                t(creating ? 'kb.create' : 'kb.save'),
              )
            : null,
          !creating && editable
            ? h(
                'button',
                { type: 'button', id: 'kb-delete', className: 'danger', onclick: remove },
                t('kb.delete'),
              )
            : null,
          !creating && detail.restorable
            ? h(
                'button',
                { type: 'button', id: 'kb-restore', onclick: restore },
                t('kb.restoreShipped'),
              )
            : null,
        )
      : h('p', { className: 'muted' }, t('kb.readOnly'));

    replaceChildren(
      element,
      h(
        'div',
        { className: 'toolbar' },
        h('a', { href: '#/kb', className: 'back' }, `← ${t('kb.title')}`),
        h('h1', { id: 'kb-editor-title' }, creating ? t('kb.newTitle') : detail.fields.title),
        detail
          ? h(
              'div',
              { className: 'chips' },
              kbStatusBadge(detail.status),
              h('span', { className: 'badge' }, t(`kb.kind.${detail.fields.kind}`)),
              h('span', { className: 'badge' }, detail.locale === 'zh' ? '中文' : 'English'),
              h('code', {}, detail.entryId),
            )
          : null,
      ),
      detail ? banners(detail) : null,
      h(
        'div',
        { className: 'kb-editor-layout' },
        h(
          'form',
          { id: 'kb-form', className: 'card kb-form', onsubmit: (event) => event.preventDefault() },
          creating
            ? h(
                'div',
                { className: 'row kb-field-row' },
                field('kb.field.entryId', entryId, 'kb.field.entryIdHelp'),
                field('kb.field.locale', localePicker),
                field('kb.field.kind', kindPicker),
              )
            : h(
                'p',
                { className: 'muted kb-meta' },
                t('kb.meta', {
                  source: kbSourceLabel(detail.source),
                  path: detail.sourcePath,
                  time: formatTime(detail.updatedAt),
                }),
                detail.editedBy ? ` · ${t('kb.editedBy', { name: detail.editedBy })}` : '',
              ),
          fieldSlot,
          actions,
          confirmSlot,
        ),
        h(
          'div',
          { className: 'kb-side' },
          previewPanel({ announce, draft, locale: detail?.locale }),
          history(detail),
        ),
      ),
    );
  }

  let stopped = false;
  async function load() {
    if (creating) return render(undefined);
    try {
      const detail = await api(documentPath(id));
      if (!stopped) render(detail);
    } catch (error) {
      if (stopped || error.status === 401) return;
      announce(
        error.status === 404 ? t('kb.notFound') : t('error.generic', { message: error.message }),
        'error',
      );
    }
  }
  load();
  return {
    element,
    dispose() {
      stopped = true;
    },
  };
}
