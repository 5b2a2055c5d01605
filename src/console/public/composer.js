/**
 * The reply box and the ticket's actions: Accept sends the draft unchanged, Send edited
 * sends the changed text, Reject and Escalate ask for a reason first, Solve and Reopen
 * are one click. Every action goes through `onAct`, which adds the version.
 */
import { h } from './dom.js';
import { categories, categoryName, t } from './i18n.js';

const active = (status) => status === 'open' || status === 'pending_customer';

/** Once a draft was sent or rejected it is spent: later replies start from an empty box. */
const draftSpent = (ticket) =>
  ticket.actions.some((entry) => ['accept', 'edit', 'reject'].includes(entry.action));

export function composer(ticket, { text, onText, onAct }) {
  const spent = draftSpent(ticket);
  const draft = spent ? '' : (ticket.draft ?? '');
  const reply = h('textarea', {
    id: 'reply',
    rows: 10,
    value: text ?? draft,
    attrs: { 'aria-label': t('ticket.reply') },
  });
  const accept = h(
    'button',
    {
      id: 'accept',
      type: 'button',
      className: 'primary',
      hidden: spent,
      onclick: () => onAct({ action: 'accept' }, t('ticket.sent')),
    },
    t('ticket.accept'),
  );
  // With no draft left to judge, the agent's text goes out as a plain reply (not feedback).
  const sendEdited = h(
    'button',
    {
      id: 'send-edited',
      type: 'button',
      className: 'primary',
      onclick: () =>
        onAct(
          { action: spent || !draft ? 'reply' : 'edit', text: reply.value.trim() },
          t('ticket.sent'),
        ),
    },
    spent || !draft ? t('ticket.send') : t('ticket.sendEdited'),
  );
  const reset = h(
    'button',
    {
      id: 'reset-draft',
      type: 'button',
      className: 'link',
      onclick: () => ((reply.value = draft), sync()),
    },
    t('ticket.resetDraft'),
  );
  const forms = h('div', { className: 'inline-forms' });

  function sync() {
    const changed = reply.value !== draft;
    accept.disabled = !draft || changed;
    sendEdited.disabled = !changed || !reply.value.trim();
    reset.hidden = !draft || !changed;
    onText(changed ? reply.value : undefined);
  }
  reply.addEventListener('input', sync);

  function reasonForm({ id, label, confirm, extra, submit }) {
    const reason = h('input', { id: `${id}-reason`, required: true, maxLength: 1000 });
    const form = h(
      'form',
      {
        id: `${id}-form`,
        className: 'reason-form',
        onsubmit: (event) => {
          event.preventDefault();
          if (reason.value.trim()) submit(reason.value.trim());
        },
      },
      h('label', {}, h('span', {}, label), reason),
      extra,
      h(
        'div',
        { className: 'row' },
        h('button', { type: 'submit', className: 'danger' }, confirm),
        h(
          'button',
          { type: 'button', className: 'quiet', onclick: () => forms.replaceChildren() },
          t('ticket.cancel'),
        ),
      ),
    );
    forms.replaceChildren(form);
    reason.focus();
  }

  function openReject() {
    const category = h(
      'select',
      { id: 'reject-category' },
      h('option', { value: '' }, t('ticket.keepCategory')),
      Object.keys(categories).map((key) =>
        h('option', { value: key, disabled: key === ticket.category }, categoryName(key)),
      ),
    );
    reasonForm({
      id: 'reject',
      label: t('ticket.rejectReason'),
      confirm: t('ticket.confirmReject'),
      extra: h('label', {}, h('span', {}, t('ticket.rejectCategory')), category),
      submit: (reason) =>
        onAct(
          { action: 'reject', reason, ...(category.value ? { category: category.value } : {}) },
          t('ticket.rejected'),
        ),
    });
  }

  function openEscalate() {
    reasonForm({
      id: 'escalate',
      label: t('ticket.escalateReason'),
      confirm: t('ticket.confirmEscalate'),
      submit: (reason) => onAct({ action: 'escalate', reason }, t('ticket.escalatedDone')),
    });
  }

  const element = h(
    'section',
    { id: 'composer', className: 'card composer' },
    h('h2', {}, t('ticket.reply')),
  );
  if (!active(ticket.status)) {
    element.append(
      h(
        'p',
        { className: 'muted' },
        t('ticket.inactive', { status: t(`status.${ticket.status}`) }),
      ),
      h(
        'button',
        {
          id: 'reopen',
          type: 'button',
          onclick: () => onAct({ action: 'reopen' }, t('ticket.reopened')),
        },
        t('ticket.reopen'),
      ),
    );
    return { element, busy: () => false };
  }
  element.append(
    h(
      'p',
      { className: 'muted hint' },
      spent ? t('ticket.draftSpent') : draft ? t('ticket.draftHint') : t('ticket.noDraft'),
    ),
    reply,
    h(
      'div',
      { className: 'row actions' },
      accept,
      sendEdited,
      reset,
      h('span', { className: 'spacer' }),
      h(
        'button',
        { id: 'reject', type: 'button', hidden: spent, disabled: !draft, onclick: openReject },
        t('ticket.reject'),
      ),
      h('button', { id: 'escalate', type: 'button', onclick: openEscalate }, t('ticket.escalate')),
      h(
        'button',
        {
          id: 'solve',
          type: 'button',
          onclick: () => onAct({ action: 'solve' }, t('ticket.solved')),
        },
        t('ticket.solve'),
      ),
    ),
    forms,
  );
  sync();
  return {
    element,
    /** True while the agent is in the middle of something a reload would disturb. */
    busy: () =>
      reply.value !== draft ||
      forms.childElementCount > 0 ||
      element.contains(document.activeElement),
  };
}
