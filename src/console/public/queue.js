/** The queue: most urgent first, then nearest SLA breach, refreshed every few seconds. */
import * as api from './api.js';
import { h, replaceChildren } from './dom.js';
import { categoryName, locale, t } from './i18n.js';
import { slaClock } from './sla.js';

const refreshMs = 5000;
const statuses = ['active', 'open', 'pending_customer', 'solved', 'closed'];
// Kept across visits, so going back from a ticket shows the same filter.
const filter = { status: 'active', mine: false };

export const urgencyBadge = (urgency) =>
  h(
    'span',
    { className: `badge urgency urgency-${urgency.level}`, title: urgency.reasons.join('\n') },
    t(`urgency.${urgency.level}`),
    ' ',
    h('b', {}, urgency.score),
  );

export const statusBadge = (status) =>
  h('span', { className: `badge status status-${status}` }, t(`status.${status}`));

export function queueView({ user, announce }) {
  const body = h('tbody', { id: 'queue-rows' });
  const updated = h('span', { id: 'queue-updated', className: 'muted' });
  const statusPicker = h(
    'select',
    { id: 'queue-status', onchange: (event) => ((filter.status = event.target.value), load()) },
    statuses.map((status) =>
      h('option', { value: status, selected: status === filter.status }, t(`status.${status}`)),
    ),
  );
  const mine = h('input', {
    type: 'checkbox',
    id: 'queue-mine',
    checked: filter.mine,
    onchange: (event) => ((filter.mine = event.target.checked), load()),
  });
  const columns = [
    'urgency',
    'subject',
    'category',
    'status',
    'firstResponse',
    'resolution',
    'assignee',
  ];
  const table = h(
    'table',
    { id: 'queue', className: 'queue' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((column) => h('th', { scope: 'col' }, t(`column.${column}`))),
      ),
    ),
    body,
  );

  function row(ticket) {
    const open = () => (location.hash = `#/tickets/${ticket.id}`);
    return h(
      'tr',
      {
        className: 'ticket-row',
        dataset: { ticketId: ticket.id, level: ticket.urgency.level },
        onclick: open,
      },
      h(
        'td',
        {},
        urgencyBadge(ticket.urgency),
        ticket.escalated
          ? h('span', { className: 'badge escalated' }, t('ticket.escalated'))
          : null,
      ),
      h(
        'td',
        { className: 'subject' },
        h('a', { href: `#/tickets/${ticket.id}` }, ticket.subject || t('noSubject')),
      ),
      h('td', {}, categoryName(ticket.category)),
      h('td', {}, statusBadge(ticket.status)),
      h('td', {}, slaClock(ticket.sla.firstResponse)),
      h('td', {}, slaClock(ticket.sla.resolution)),
      h('td', { className: ticket.assignee ? '' : 'muted' }, ticket.assignee ?? t('unassigned')),
    );
  }

  let stopped = false;
  let failing = false;
  async function load() {
    try {
      const { tickets } = await api.queue({
        status: filter.status,
        assignee: filter.mine ? user.name : undefined,
      });
      if (stopped) return;
      replaceChildren(
        body,
        tickets.length
          ? tickets.map(row)
          : h('tr', {}, h('td', { colSpan: columns.length, className: 'empty' }, t('queue.empty'))),
      );
      updated.textContent = t('queue.updated', { time: new Date().toLocaleTimeString(locale()) });
      if (failing) announce('');
      failing = false;
    } catch (error) {
      if (stopped || error.status === 401) return;
      failing = true;
      announce(
        error.status === 0 ? t('error.network') : t('error.generic', { message: error.message }),
        'error',
      );
    }
  }
  const timer = setInterval(load, refreshMs);
  load();

  const element = h(
    'section',
    { className: 'queue-view' },
    h(
      'div',
      { className: 'toolbar' },
      h('h1', {}, t('queue.title')),
      h('label', { className: 'inline' }, h('span', {}, t('queue.status')), statusPicker),
      h('label', { className: 'inline' }, mine, h('span', {}, t('queue.mine'))),
      h('span', { className: 'spacer' }),
      updated,
      h('button', { type: 'button', className: 'quiet', onclick: load }, t('queue.refresh')),
    ),
    h('div', { className: 'card table-card' }, table),
  );
  return {
    element,
    dispose() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
