/**
 * One ticket: conversation, reply box and actions on the left, the triage explanation
 * and evidence on the right. Actions carry the version the agent saw; a 409 means someone
 * else got there first, so the ticket is reloaded and the agent's unsent text is kept.
 */
import * as api from './api.js';
import { composer } from './composer.js';
import { conversationPanel } from './conversation.js';
import { h, replaceChildren } from './dom.js';
import { categoryName, formatTime, t } from './i18n.js';
import { statusBadge, urgencyBadge } from './queue.js';
import { slaClock } from './sla.js';
import { evidencePanel, triagePanel } from './triage-panel.js';

const refreshMs = 5000;
/** Text typed but not sent, per ticket: survives reloads, language switches and conflicts. */
const unsent = new Map();

function summary(ticket) {
  return h(
    'header',
    { className: 'ticket-header' },
    h('a', { href: '#/', className: 'back' }, t('ticket.back')),
    h('h1', { id: 'ticket-subject' }, ticket.subject || t('noSubject')),
    h(
      'div',
      { className: 'chips' },
      urgencyBadge(ticket.urgency),
      statusBadge(ticket.status),
      h('span', { className: 'badge' }, categoryName(ticket.category)),
      ticket.escalated ? h('span', { className: 'badge escalated' }, t('ticket.escalated')) : null,
      h(
        'span',
        { className: ticket.assignee ? 'badge' : 'badge muted' },
        t('ticket.assigneeLine', { name: ticket.assignee ?? t('unassigned') }),
      ),
      h(
        'span',
        { className: 'muted', id: 'ticket-version' },
        t('ticket.version', { version: ticket.version }),
      ),
    ),
    h(
      'dl',
      { className: 'sla-line' },
      h('dt', {}, t('column.firstResponse')),
      h('dd', { id: 'sla-first-response' }, slaClock(ticket.sla.firstResponse)),
      h('dt', {}, t('column.resolution')),
      h('dd', { id: 'sla-resolution' }, slaClock(ticket.sla.resolution)),
    ),
  );
}

function history(actions) {
  return h(
    'section',
    { id: 'history', className: 'card history' },
    h('h2', {}, t('ticket.history')),
    actions.length
      ? h(
          'ol',
          {},
          actions.map((entry) =>
            h(
              'li',
              {},
              h('time', { dateTime: entry.at }, formatTime(entry.at)),
              ' ',
              h('strong', {}, entry.agentId),
              ' ',
              t(`action.${entry.action}`),
              entry.reason ? h('span', { className: 'muted' }, ` — ${entry.reason}`) : null,
              entry.editDistance != null
                ? h(
                    'span',
                    { className: 'muted' },
                    ` (${t('ticket.editDistance', { distance: entry.editDistance })})`,
                  )
                : null,
            ),
          ),
        )
      : h('p', { className: 'muted' }, t('ticket.noHistory')),
  );
}

// What a poll compares: a new version, a new message or a delivery state change.
const signature = (ticket) =>
  [
    ticket.version,
    ...ticket.conversation.messages.map((message) => `${message.id}:${message.delivery}`),
  ].join('|');

export function ticketView(id, { announce, refreshStats }) {
  const element = h('section', { className: 'ticket-view', attrs: { 'aria-busy': 'true' } });
  const changed = h(
    'div',
    { id: 'ticket-changed', className: 'notice notice-warning', hidden: true },
    t('ticket.changed'),
    ' ',
    h('button', { type: 'button', onclick: () => load() }, t('ticket.reload')),
  );
  let current;
  let reply;
  let stopped = false;
  let acting = false;

  function render(ticket) {
    current = ticket;
    changed.hidden = true;
    reply = composer(ticket, {
      text: unsent.get(id),
      onText: (text) => (text === undefined ? unsent.delete(id) : unsent.set(id, text)),
      onAct: act,
    });
    replaceChildren(
      element,
      summary(ticket),
      changed,
      h(
        'div',
        { className: 'ticket-grid' },
        h(
          'div',
          { className: 'ticket-main' },
          conversationPanel(ticket.conversation),
          reply.element,
          history(ticket.actions),
        ),
        h(
          'aside',
          { className: 'ticket-side' },
          triagePanel(ticket.triage),
          evidencePanel(ticket.evidence.length ? ticket.evidence : (ticket.triage?.matches ?? [])),
        ),
      ),
    );
    element.setAttribute('aria-busy', 'false');
    element.dataset.version = String(ticket.version);
    const messages = element.querySelector('#messages');
    messages.scrollTop = messages.scrollHeight;
  }

  async function load() {
    try {
      const ticket = await api.ticket(id);
      if (!stopped) render(ticket);
    } catch (error) {
      if (stopped || error.status === 401) return;
      announce(
        error.status === 0 ? t('error.network') : t('error.generic', { message: error.message }),
        'error',
      );
      if (!current)
        replaceChildren(element, h('a', { href: '#/', className: 'back' }, t('ticket.back')));
    }
  }

  async function act(action, done) {
    if (acting || !current) return;
    acting = true;
    element.setAttribute('aria-busy', 'true');
    element
      .querySelectorAll('button, textarea, input, select')
      .forEach((control) => (control.disabled = true));
    try {
      await api.act(id, { ...action, version: current.version });
      if (action.action === 'accept' || action.action === 'edit') unsent.delete(id);
      announce(done, 'success');
      refreshStats();
    } catch (error) {
      if (error.status === 409) {
        announce(
          unsent.has(id)
            ? `${t('ticket.conflict')} ${t('ticket.conflictKept')}`
            : t('ticket.conflict'),
          'error',
        );
      } else if (error.status === 403) {
        announce(t('error.forbidden', { message: error.message }), 'error');
      } else if (error.status !== 401) {
        announce(t('error.generic', { message: error.message }), 'error');
      }
    } finally {
      acting = false;
    }
    await load();
  }

  async function poll() {
    if (acting || !current) return;
    try {
      const ticket = await api.ticket(id);
      if (stopped || acting || signature(ticket) === signature(current)) return;
      if (reply.busy()) changed.hidden = false;
      else render(ticket);
    } catch {
      // The next poll tries again.
    }
  }

  const timer = setInterval(poll, refreshMs);
  load();
  return {
    element,
    dispose() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
