/**
 * Surge alerts in the console: a banner under the header on every page while an alert is open
 * or acknowledged (polled), the list of alerts (`#/alerts`), and one alert (`#/alerts/<id>`):
 * what rose and by how much, acknowledge and resolve, the grouped tickets, and one reply to
 * all of them that the agent reviews (the exact text and how many customers) before it goes.
 */
import { api } from './api.js';
import { h, replaceChildren } from './dom.js';
import { categoryName, formatTime, t } from './i18n.js';
import { statusBadge, urgencyBadge } from './queue.js';

const bannerRefreshMs = 15000;
const path = (id, action = '') => `/v1/alerts/${encodeURIComponent(id)}${action}`;
const alertsApi = {
  list: (status = 'active') => api(`/v1/alerts?status=${encodeURIComponent(status)}&limit=100`),
  get: (id) => api(path(id)),
  acknowledge: (id) => api(path(id, '/acknowledge'), { method: 'POST' }),
  resolve: (id) => api(path(id, '/resolve'), { method: 'POST' }),
  reply: (id, body) => api(path(id, '/reply'), { method: 'POST', body }),
};
const activeTicket = (ticket) => ticket.status === 'open' || ticket.status === 'pending_customer';

/** "Carrier sf-express", "Category Shipping & delivery": what surged, in the agent's language. */
export function alertKeyLabel(key) {
  const value = key.kind === 'category' ? categoryName(key.key) : key.key;
  return t('alerts.keyLabel', { kind: t(`alerts.kind.${key.kind}`), value });
}

const windowMinutes = (alert) =>
  Math.round((new Date(alert.window.end) - new Date(alert.window.start)) / 60000);
const figures = (alert) =>
  t('alerts.figures', {
    observed: alert.observed,
    minutes: windowMinutes(alert),
    expected: alert.expected.toFixed(1),
  });
const alertStatusBadge = (status) =>
  h(
    'span',
    { className: `badge alert-status alert-status-${status}` },
    t(`alerts.status.${status}`),
  );

// The banner: one element kept under the header across pages, refreshed by a poll.
const banner = { element: undefined, timer: undefined };

function renderBanner(alerts) {
  const element = banner.element;
  if (!element) return;
  element.hidden = alerts.length === 0;
  replaceChildren(
    element,
    alerts.map((alert) =>
      h(
        'div',
        { className: `alert-banner-item alert-${alert.status}`, dataset: { alertId: alert.id } },
        h(
          'strong',
          { className: 'alert-banner-key' },
          t('alerts.heading', { what: alertKeyLabel(alert) }),
        ),
        ' · ',
        figures(alert),
        ' · ',
        t('alerts.tickets', { count: alert.ticketCount }),
        alert.status === 'acknowledged'
          ? h(
              'span',
              { className: 'alert-banner-ack' },
              ' · ',
              t('alerts.acknowledgedBy', { name: alert.acknowledged.by }),
            )
          : null,
        ' ',
        h('a', { href: `#/alerts/${alert.id}`, className: 'alert-banner-open' }, t('alerts.open')),
      ),
    ),
  );
}

/** Asks for the unresolved alerts now (after an agent changed one, or on a timer). */
export async function refreshAlertBanner() {
  try {
    renderBanner((await alertsApi.list('active')).alerts);
  } catch {
    // The next tick tries again; a 401 is handled by the shell.
  }
}

/** Shows the banner under the header and keeps it current while signed in. */
export function startAlertBanner() {
  stopAlertBanner();
  banner.element = h('div', {
    id: 'alert-banner',
    className: 'alert-banner',
    hidden: true,
    attrs: { role: 'alert', 'aria-live': 'polite' },
  });
  document.getElementById('top').after(banner.element);
  refreshAlertBanner();
  banner.timer = setInterval(refreshAlertBanner, bannerRefreshMs);
}

export function stopAlertBanner() {
  clearInterval(banner.timer);
  banner.element?.remove();
  banner.element = undefined;
}

/**
 * The view for `#/alerts` or `#/alerts/<id>`; undefined for any other route. Every page change
 * (and language switch) also refreshes the banner, so it is never a poll behind the page.
 */
export function alertRoute(hash, context) {
  refreshAlertBanner();
  const match = hash.match(/^#\/alerts(?:\/([\w-]+))?$/);
  if (!match) return undefined;
  return match[1] ? alertView(match[1], context) : alertsView(context);
}

function alertsView({ announce }) {
  const body = h('tbody', { id: 'alerts-rows' });
  const element = h(
    'section',
    { className: 'alerts-view' },
    h('div', { className: 'toolbar' }, h('h1', {}, t('alerts.title'))),
    h(
      'div',
      { className: 'card table-card' },
      h(
        'table',
        { id: 'alerts', className: 'queue' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['key', 'status', 'figures', 'tickets', 'raised'].map((column) =>
              h('th', { scope: 'col' }, t(`alerts.column.${column}`)),
            ),
          ),
        ),
        body,
      ),
    ),
  );
  alertsApi.list('active').then(
    async ({ alerts: active }) => {
      const { alerts: resolved } = await alertsApi.list('resolved');
      const alerts = [...active, ...resolved];
      replaceChildren(
        body,
        alerts.length
          ? alerts.map((alert) =>
              h(
                'tr',
                {
                  className: 'ticket-row',
                  onclick: () => (location.hash = `#/alerts/${alert.id}`),
                },
                h('td', {}, h('a', { href: `#/alerts/${alert.id}` }, alertKeyLabel(alert))),
                h('td', {}, alertStatusBadge(alert.status)),
                h('td', {}, figures(alert)),
                h('td', {}, alert.ticketCount),
                h('td', {}, formatTime(alert.raisedAt)),
              ),
            )
          : h('tr', {}, h('td', { colSpan: 5, className: 'empty' }, t('alerts.none'))),
      );
    },
    (error) =>
      error.status !== 401 && announce(t('error.generic', { message: error.message }), 'error'),
  );
  return { element };
}

function alertView(id, { announce }) {
  const element = h('section', { className: 'alert-view', attrs: { 'aria-busy': 'true' } });
  // Kept across reloads, so a reload after an action does not lose what the agent typed.
  const reply = h('textarea', {
    id: 'alert-reply',
    rows: 6,
    maxLength: 8000,
    attrs: { 'aria-label': t('alerts.reply.label'), placeholder: t('alerts.reply.placeholder') },
  });
  const chosen = new Set();
  let current;
  let busy = false;

  function header(alert) {
    const act = (action, done) => async () => {
      if (busy) return;
      busy = true;
      try {
        await alertsApi[action](id);
        announce(done, 'success');
        refreshAlertBanner();
        await load();
      } catch (error) {
        if (error.status !== 401) announce(t('error.generic', { message: error.message }), 'error');
      } finally {
        busy = false;
      }
    };
    return h(
      'header',
      { className: 'ticket-header' },
      h('a', { href: '#/alerts', className: 'back' }, t('alerts.back')),
      h('h1', { id: 'alert-title' }, t('alerts.heading', { what: alertKeyLabel(alert) })),
      h(
        'div',
        { className: 'chips' },
        alertStatusBadge(alert.status),
        alert.related.map((key) => h('span', { className: 'chip' }, alertKeyLabel(key))),
        h('span', { className: 'spacer' }),
        alert.status === 'open'
          ? h(
              'button',
              {
                id: 'alert-acknowledge',
                type: 'button',
                onclick: act('acknowledge', t('alerts.acknowledged')),
              },
              t('alerts.acknowledge'),
            )
          : null,
        alert.status !== 'resolved'
          ? h(
              'button',
              {
                id: 'alert-resolve',
                type: 'button',
                onclick: act('resolve', t('alerts.resolved')),
              },
              t('alerts.resolve'),
            )
          : null,
      ),
      h(
        'dl',
        { className: 'facts alert-facts' },
        h('dt', {}, t('alerts.fact.window')),
        h('dd', { id: 'alert-figures' }, figures(alert), ` (×${alert.ratio.toFixed(1)})`),
        h('dt', {}, t('alerts.fact.baseline')),
        h(
          'dd',
          {},
          t('alerts.baselineText', {
            count: alert.baseline.count,
            total: alert.baseline.total,
            share: ((alert.baseline.count / Math.max(1, alert.baseline.total)) * 100).toFixed(1),
          }),
        ),
        h('dt', {}, t('alerts.fact.pValue')),
        h('dd', {}, alert.pValue.toExponential(1)),
        h('dt', {}, t('alerts.fact.raised')),
        h('dd', {}, formatTime(alert.raisedAt)),
        alert.acknowledged ? h('dt', {}, t('alerts.fact.acknowledged')) : null,
        alert.acknowledged
          ? h('dd', {}, `${alert.acknowledged.by} · ${formatTime(alert.acknowledged.at)}`)
          : null,
        alert.resolved ? h('dt', {}, t('alerts.fact.resolved')) : null,
        alert.resolved
          ? h('dd', {}, `${alert.resolved.by} · ${formatTime(alert.resolved.at)}`)
          : null,
      ),
    );
  }

  function ticketTable(alert) {
    const rows = alert.tickets.map((ticket) =>
      h(
        'tr',
        {
          className: 'alert-ticket',
          dataset: { ticketId: ticket.id, level: ticket.urgency.level },
        },
        h(
          'td',
          {},
          h('input', {
            type: 'checkbox',
            className: 'alert-ticket-pick',
            checked: chosen.has(ticket.id),
            disabled: !activeTicket(ticket),
            attrs: { 'aria-label': t('alerts.pick') },
            onchange: (event) => {
              if (event.target.checked) chosen.add(ticket.id);
              else chosen.delete(ticket.id);
              renderComposer();
            },
          }),
        ),
        h('td', {}, urgencyBadge({ ...ticket.urgency, reasons: [] })),
        h(
          'td',
          { className: 'subject' },
          h('a', { href: `#/tickets/${ticket.id}` }, ticket.subject || t('noSubject')),
        ),
        h('td', {}, statusBadge(ticket.status)),
        h('td', { className: 'muted' }, formatTime(ticket.createdAt)),
        h(
          'td',
          { className: ticket.repliedAt ? '' : 'muted' },
          ticket.repliedAt ? formatTime(ticket.repliedAt) : '—',
        ),
      ),
    );
    return h(
      'section',
      { className: 'card table-card' },
      h(
        'table',
        { id: 'alert-tickets', className: 'queue' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, ''),
            ['urgency', 'subject', 'status', 'created', 'replied'].map((column) =>
              h('th', { scope: 'col' }, t(`alerts.ticketColumn.${column}`)),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          rows.length
            ? rows
            : h('tr', {}, h('td', { colSpan: 6, className: 'empty' }, t('alerts.noTickets'))),
        ),
      ),
    );
  }

  const composerCard = h('section', { id: 'alert-composer', className: 'card composer' });
  function renderComposer(reviewing = false) {
    const count = chosen.size;
    const text = reply.value.trim();
    const review = h(
      'button',
      {
        id: 'alert-review',
        type: 'button',
        className: 'primary',
        disabled: !text || count === 0,
        onclick: () => renderComposer(true),
      },
      t('alerts.reply.review', { count }),
    );
    const confirm = reviewing
      ? h(
          'div',
          { id: 'alert-review-panel', className: 'notice notice-warning alert-review' },
          h('p', {}, t('alerts.reply.confirmText', { count })),
          h('blockquote', { id: 'alert-review-text' }, text),
          h(
            'div',
            { className: 'actions' },
            h(
              'button',
              { id: 'alert-send', type: 'button', className: 'primary', onclick: () => send(text) },
              t('alerts.reply.send', { count }),
            ),
            ' ',
            h(
              'button',
              { type: 'button', onclick: () => renderComposer(false) },
              t('alerts.reply.cancel'),
            ),
          ),
        )
      : null;
    replaceChildren(
      composerCard,
      h('h2', {}, t('alerts.reply.title')),
      h('p', { className: 'hint muted' }, t('alerts.reply.hint')),
      reply,
      confirm ?? h('div', { className: 'actions' }, review),
    );
  }
  reply.addEventListener('input', () => renderComposer(false));

  async function send(text) {
    if (busy) return;
    busy = true;
    try {
      const result = await alertsApi.reply(id, { text, ticketIds: [...chosen] });
      reply.value = '';
      announce(
        t('alerts.reply.done', { sent: result.sent.length, skipped: result.skipped.length }),
        result.skipped.length ? 'error' : 'success',
      );
      await load();
    } catch (error) {
      if (error.status !== 401) announce(t('error.generic', { message: error.message }), 'error');
    } finally {
      busy = false;
    }
  }

  async function load() {
    try {
      const alert = await alertsApi.get(id);
      if (!current)
        for (const ticket of alert.tickets) if (activeTicket(ticket)) chosen.add(ticket.id);
      for (const ticket of alert.tickets) if (!activeTicket(ticket)) chosen.delete(ticket.id);
      current = alert;
      renderComposer(false);
      replaceChildren(element, header(alert), ticketTable(alert), composerCard);
      element.setAttribute('aria-busy', 'false');
    } catch (error) {
      if (error.status === 401) return;
      replaceChildren(
        element,
        h('a', { href: '#/alerts', className: 'back' }, t('alerts.back')),
        h(
          'p',
          { className: 'notice notice-error' },
          t('error.generic', { message: error.message }),
        ),
      );
    }
  }
  load();
  return { element };
}
