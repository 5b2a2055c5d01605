/**
 * Approved answers (`#/approved-answers`): the answers agents' replies proposed for a
 * knowledge-base entry, one card each with the customer's question (redacted), the answer and
 * what the output check finds in it. Admins approve, edit and approve, or reject (an approved
 * answer can be withdrawn); agents see the list. Nothing here approves on its own.
 */
import { api } from './api.js';
import { h, replaceChildren } from './dom.js';
import { formatPercent, formatTime, t } from './i18n.js';

const statuses = ['pending', 'approved', 'rejected'];
// Kept across visits, like the queue's filter.
const filter = { status: 'pending' };
/** Answers being edited and not saved, per id: survive a reload of the list. */
const unsaved = new Map();

const list = (status) =>
  api(`/v1/approved-answers?${new URLSearchParams({ status, limit: '200' })}`);
const edit = (id, answer) =>
  api(`/v1/approved-answers/${encodeURIComponent(id)}`, { method: 'PUT', body: { answer } });
const review = (id, action, note) =>
  api(`/v1/approved-answers/${encodeURIComponent(id)}/${action}`, {
    method: 'POST',
    body: note ? { note } : {},
  });

function originBadge(answer) {
  const ratio =
    answer.editRatio !== null && answer.origin !== 'accepted'
      ? ` · ${formatPercent(answer.editRatio)}`
      : '';
  return h(
    'span',
    {
      className: `badge answer-origin answer-origin-${answer.origin}`,
      title: t(`approvedAnswers.originHelp.${answer.origin}`),
    },
    t(`approvedAnswers.origin.${answer.origin}`),
    ratio,
  );
}

function violationList(answer) {
  if (answer.violations.length === 0) return null;
  return h(
    'div',
    { className: 'answer-violations', attrs: { role: 'note' } },
    h('strong', {}, t('approvedAnswers.violations')),
    h(
      'ul',
      {},
      answer.violations.map((violation) =>
        h(
          'li',
          {},
          t(`approvedAnswers.violation.${violation.code}`),
          ' ',
          h('code', {}, violation.evidence),
        ),
      ),
    ),
  );
}

export function approvedAnswersView({ user, announce }) {
  const isAdmin = user.role === 'admin';
  const body = h('div', { id: 'approved-answers-list', className: 'answers-list' });
  const statusPicker = h(
    'select',
    {
      id: 'approved-answers-status',
      onchange: (event) => ((filter.status = event.target.value), load()),
    },
    statuses.map((status) =>
      h(
        'option',
        { value: status, selected: status === filter.status },
        t(`approvedAnswers.status.${status}`),
      ),
    ),
  );

  function card(answer) {
    const editable = isAdmin && answer.status !== 'rejected';
    const box = editable
      ? h('textarea', {
          id: `answer-text-${answer.id}`,
          className: 'answer-text',
          rows: Math.min(14, Math.max(4, answer.answer.split('\n').length + 1)),
          value: unsaved.get(answer.id) ?? answer.answer,
          attrs: { 'aria-label': t('approvedAnswers.answer') },
          oninput: (event) => {
            unsaved.set(answer.id, event.target.value);
            sync();
          },
        })
      : h('div', { className: 'answer-text answer-readonly' }, answer.answer);
    const changed = () => editable && box.value.trim() !== answer.answer;
    const note = h('input', {
      type: 'text',
      className: 'answer-note',
      maxLength: 1000,
      placeholder: t('approvedAnswers.notePlaceholder'),
      attrs: { 'aria-label': t('approvedAnswers.note') },
    });

    async function run(work, done) {
      for (const button of actions.querySelectorAll('button')) button.disabled = true;
      try {
        await work();
        unsaved.delete(answer.id);
        announce(done);
        await load();
      } catch (error) {
        if (error.status === 401) return;
        announce(t('approvedAnswers.failed', { message: error.message }), 'error');
        sync();
      }
    }
    const save = h(
      'button',
      {
        type: 'button',
        className: 'answer-save',
        onclick: () => run(() => edit(answer.id, box.value.trim()), t('approvedAnswers.saved')),
      },
      t('approvedAnswers.save'),
    );
    const approve = h(
      'button',
      {
        type: 'button',
        className: 'primary answer-approve',
        onclick: () =>
          run(async () => {
            if (changed()) await edit(answer.id, box.value.trim());
            await review(answer.id, 'approve', note.value.trim());
          }, t('approvedAnswers.approvedNotice')),
      },
      t('approvedAnswers.approve'),
    );
    const reject = h(
      'button',
      {
        type: 'button',
        className: 'danger answer-reject',
        onclick: () =>
          run(
            () => review(answer.id, 'reject', note.value.trim()),
            t(
              answer.status === 'approved'
                ? 'approvedAnswers.withdrawnNotice'
                : 'approvedAnswers.rejectedNotice',
            ),
          ),
      },
      t(answer.status === 'approved' ? 'approvedAnswers.withdraw' : 'approvedAnswers.reject'),
    );
    const actions = h(
      'div',
      { className: 'answer-actions' },
      isAdmin && answer.status !== 'approved' ? approve : null,
      editable ? save : null,
      isAdmin && answer.status !== 'rejected' ? reject : null,
      isAdmin ? note : null,
    );
    function sync() {
      save.disabled = !changed();
      approve.textContent = t(
        changed() ? 'approvedAnswers.saveAndApprove' : 'approvedAnswers.approve',
      );
      // The server refuses these too; the button says so before the round trip.
      approve.disabled = !changed() && answer.violations.length > 0;
      reject.disabled = false;
    }
    if (isAdmin) sync();

    return h(
      'article',
      { className: 'card answer-card', dataset: { answerId: answer.id, status: answer.status } },
      h(
        'header',
        { className: 'card-header' },
        h(
          'h2',
          {},
          answer.entry.title ?? t('approvedAnswers.entryGone'),
          ' ',
          h('code', { className: 'muted' }, answer.entry.id),
        ),
        h(
          'div',
          { className: 'chips' },
          h(
            'span',
            { className: `badge answer-status-${answer.status}` },
            t(`approvedAnswers.status.${answer.status}`),
          ),
          h('span', { className: 'badge' }, answer.language === 'zh' ? '中文' : 'English'),
          originBadge(answer),
          answer.proposals > 1
            ? h(
                'span',
                { className: 'badge' },
                t('approvedAnswers.proposals', { count: answer.proposals }),
              )
            : null,
          h(
            'span',
            { className: 'badge answer-uses' },
            t('approvedAnswers.uses', { count: answer.useCount }),
          ),
        ),
      ),
      h(
        'dl',
        { className: 'answer-facts' },
        h('dt', {}, t('approvedAnswers.question')),
        h('dd', { className: 'answer-question' }, answer.question),
        h('dt', {}, t('approvedAnswers.answer')),
        h('dd', {}, box),
      ),
      violationList(answer),
      answer.entry.answer
        ? h(
            'details',
            { className: 'answer-entry' },
            h('summary', {}, t('approvedAnswers.entryText')),
            h('div', { className: 'answer-readonly' }, answer.entry.answer),
          )
        : null,
      h(
        'p',
        { className: 'muted answer-meta' },
        t('approvedAnswers.meta', {
          agent: answer.agentId,
          time: formatTime(answer.createdAt),
        }),
        answer.reviewedBy
          ? ` · ${t('approvedAnswers.reviewed', { name: answer.reviewedBy, time: formatTime(answer.reviewedAt) })}`
          : '',
        answer.reviewNote ? ` · “${answer.reviewNote}”` : '',
        answer.lastUsedAt
          ? ` · ${t('approvedAnswers.lastUsed', { time: formatTime(answer.lastUsedAt) })}`
          : '',
      ),
      actions,
    );
  }

  let stopped = false;
  async function load() {
    try {
      const { answers } = await list(filter.status);
      if (stopped) return;
      replaceChildren(
        body,
        answers.length
          ? answers.map(card)
          : h('p', { className: 'card empty' }, t(`approvedAnswers.empty.${filter.status}`)),
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

  const element = h(
    'section',
    { className: 'approved-answers-view' },
    h(
      'div',
      { className: 'toolbar' },
      h('h1', {}, t('approvedAnswers.title')),
      h(
        'label',
        { className: 'inline' },
        h('span', {}, t('approvedAnswers.statusLabel')),
        statusPicker,
      ),
      h('span', { className: 'spacer' }),
      h('button', { type: 'button', className: 'quiet', onclick: load }, t('queue.refresh')),
    ),
    h(
      'p',
      { className: 'muted answers-intro' },
      t(isAdmin ? 'approvedAnswers.intro' : 'approvedAnswers.introAgent'),
    ),
    body,
  );
  return {
    element,
    dispose() {
      stopped = true;
    },
  };
}
