/**
 * The signed-in person's notifications in the header: a bell with the unread count and a list
 * that opens under it (SLA escalations of tickets they are told about, newest first). Opening
 * one marks it read and goes to its ticket. Polled while signed in.
 */
import { api } from './api.js';
import { h, replaceChildren } from './dom.js';
import { categoryName, formatTime, language, t } from './i18n.js';

const refreshMs = 15000;
const notificationsApi = {
  list: () => api('/v1/notifications?limit=30'),
  read: (id) => api(`/v1/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' }),
};

// One bell kept across header renders (the header is rebuilt on a language change).
const state = { data: undefined, open: false, timer: undefined, element: undefined };

const stepName = (name) => (typeof name === 'string' ? name : (name[language()] ?? name.en));

function describe(item) {
  const escalation = item.escalation;
  if (!escalation) return t('notifications.generic');
  return t(escalation.overdue ? 'notifications.overdue' : 'notifications.nearing', {
    level: escalation.level,
    step: stepName(escalation.name),
    clock: t(`notifications.clock.${escalation.clock}`),
    time: formatTime(escalation.dueAt),
  });
}

async function openItem(item) {
  state.open = false;
  try {
    if (!item.readAt) await notificationsApi.read(item.id);
  } catch {
    // Still go to the ticket; the next refresh shows it unread again.
  }
  if (item.ticket) location.hash = `#/tickets/${item.ticket.id}`;
  await refreshNotifications();
}

function itemElement(item) {
  const ticket = item.ticket;
  return h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        className: `notification${item.readAt ? '' : ' notification-unread'}`,
        dataset: { notificationId: item.id, ticketId: ticket?.id ?? '' },
        onclick: () => openItem(item),
      },
      h('span', { className: 'notification-title' }, describe(item)),
      ticket
        ? h(
            'span',
            { className: 'notification-ticket' },
            ticket.subject ?? categoryName(ticket.category),
          )
        : null,
      h(
        'span',
        { className: 'notification-meta' },
        [
          ticket ? categoryName(ticket.category) : null,
          ticket?.team ? t('notifications.team', { team: ticket.team }) : null,
          formatTime(item.createdAt),
        ]
          .filter(Boolean)
          .join(' · '),
      ),
    ),
  );
}

function render() {
  const element = state.element;
  if (!element) return;
  const unread = state.data?.unread ?? 0;
  const items = state.data?.notifications ?? [];
  replaceChildren(
    element,
    h(
      'button',
      {
        id: 'notifications-button',
        type: 'button',
        className: 'quiet notifications-button',
        attrs: {
          'aria-expanded': state.open ? 'true' : 'false',
          'aria-controls': 'notifications-panel',
          'aria-label': t('notifications.label', { count: unread }),
        },
        onclick: () => {
          state.open = !state.open;
          render();
          if (state.open) refreshNotifications();
        },
      },
      t('notifications.title'),
      h(
        'span',
        { id: 'notifications-badge', className: 'notifications-badge', hidden: unread === 0 },
        String(unread),
      ),
    ),
    h(
      'div',
      {
        id: 'notifications-panel',
        className: 'notifications-panel',
        hidden: !state.open,
        onkeydown: (event) => {
          if (event.key !== 'Escape') return;
          state.open = false;
          render();
        },
      },
      h('h2', {}, t('notifications.title')),
      items.length
        ? h(
            'ul',
            { id: 'notifications-list', className: 'notifications-list' },
            items.map(itemElement),
          )
        : h('p', { className: 'muted' }, t('notifications.empty')),
    ),
  );
}

export async function refreshNotifications() {
  try {
    state.data = await notificationsApi.list();
  } catch {
    // The next tick tries again; a 401 is handled by the shell.
  }
  render();
}

/** The bell for the header (rebuilt in the current language, closed, same counts). */
export function notificationBell() {
  state.open = false;
  state.element = h('div', { id: 'notifications', className: 'notifications' });
  render();
  return state.element;
}

export function startNotifications() {
  stopNotifications();
  refreshNotifications();
  state.timer = setInterval(refreshNotifications, refreshMs);
}

export function stopNotifications() {
  clearInterval(state.timer);
  state.timer = undefined;
  state.data = undefined;
  state.open = false;
}
