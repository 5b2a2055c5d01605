/**
 * The console shell: header (draft counts, language, sign-out), the sign-in form, and a
 * hash router between the queue (`#/`) and one ticket (`#/tickets/<id>`).
 */
import * as api from './api.js';
import { h, replaceChildren } from './dom.js';
import { formatPercent, language, languages, setLanguage, t } from './i18n.js';
import { queueView } from './queue.js';
import { signInView } from './sign-in.js';
import { ticketView } from './ticket.js';
import { dashboardView } from './dashboard.js';
import { approvedAnswersView } from './approved-answers.js';
import { alertRoute, startAlertBanner, stopAlertBanner } from './alerts.js';
import { notificationBell, startNotifications, stopNotifications } from './notifications.js';
import { kbRoute } from './kb.js';

// Remembered only to skip asking /v1/auth/me (a 401) on a first visit; the cookie decides.
const sessionHint = 'console.signedIn';
const statsRefreshMs = 5000;

const state = { user: undefined, view: undefined, stats: undefined, statsTimer: undefined };
const header = document.getElementById('top');
const main = document.getElementById('main');
const notice = document.getElementById('notice');

/** A short message at the top of the page; errors stay until the next one. */
export function announce(text, kind = 'info') {
  notice.textContent = text;
  notice.className = `notice notice-${kind}`;
  notice.hidden = !text;
  if (kind !== 'error' && text) {
    const shown = text;
    setTimeout(() => {
      if (notice.textContent === shown) notice.hidden = true;
    }, 6000);
  }
}

function renderHeader() {
  const languagePicker = h(
    'select',
    {
      id: 'language',
      attrs: { 'aria-label': t('language.label') },
      onchange: (event) => changeLanguage(event.target.value),
    },
    languages.map((code) =>
      h(
        'option',
        { value: code, selected: code === language() },
        code === 'zh' ? '中文' : 'English',
      ),
    ),
  );
  const stats = state.user ? statsBar() : null;
  const account = state.user
    ? h(
        'div',
        { className: 'account' },
        h('span', { id: 'user-name', className: 'user' }, state.user.name),
        h(
          'button',
          { id: 'sign-out', className: 'quiet', type: 'button', onclick: signOut },
          t('signOut'),
        ),
      )
    : null;
  replaceChildren(
    header,
    h('a', { className: 'brand', href: '#/' }, t('app.title')),
    state.user
      ? h('a', { className: 'nav-link nav-dashboard', href: '#/dashboard' }, t('dashboard.nav'))
      : null,
    state.user
      ? h(
          'a',
          { className: 'nav-approved-answers', href: '#/approved-answers' },
          t('approvedAnswers.nav'),
        )
      : null,
    state.user ? h('a', { className: 'nav-link', href: '#/alerts' }, t('alerts.nav')) : null,
    state.user ? h('a', { className: 'nav-link nav-kb', href: '#/kb' }, t('kb.nav')) : null,
    stats,
    h(
      'div',
      { className: 'header-end' },
      state.user ? notificationBell() : null,
      languagePicker,
      account,
    ),
  );
}

function statsBar() {
  const counts = state.stats;
  const item = (id, label, value, kind) =>
    h(
      'div',
      { className: `stat stat-${kind}` },
      h('span', { className: 'stat-label' }, label),
      h('strong', { id, className: 'stat-value' }, value),
    );
  return h(
    'div',
    { id: 'stats', className: 'stats', attrs: { 'aria-label': t('stats.title') } },
    item('stat-accepted', t('stats.accepted'), counts ? counts.accepted : '…', 'accepted'),
    item('stat-edited', t('stats.edited'), counts ? counts.edited : '…', 'edited'),
    item('stat-rejected', t('stats.rejected'), counts ? counts.rejected : '…', 'rejected'),
    item('stat-rate', t('stats.rate'), counts ? formatPercent(counts.acceptanceRate) : '…', 'rate'),
  );
}

export async function refreshStats() {
  try {
    state.stats = await api.actionCounts();
    const bar = document.getElementById('stats');
    if (bar) bar.replaceWith(statsBar());
  } catch {
    // The next tick tries again; a 401 is handled by onSignedOut.
  }
}

function changeLanguage(code) {
  setLanguage(code);
  renderHeader();
  route();
}

function showSignIn(message) {
  state.user = undefined;
  stopPolling();
  localStorage.removeItem(sessionHint);
  renderHeader();
  replaceChildren(main, signInView({ message, onSignedIn: signedIn }));
}

function signedIn(user) {
  state.user = user;
  localStorage.setItem(sessionHint, '1');
  announce('');
  renderHeader();
  refreshStats();
  clearInterval(state.statsTimer);
  state.statsTimer = setInterval(refreshStats, statsRefreshMs);
  startAlertBanner();
  startNotifications();
  route();
}

function stopPolling() {
  clearInterval(state.statsTimer);
  state.view?.dispose?.();
  stopAlertBanner();
  stopNotifications();
  state.view = undefined;
}

async function signOut() {
  // Stop polling first: a poll sent after the cookie is gone would only earn a 401.
  stopPolling();
  await api.signOut().catch(() => undefined);
  location.hash = '#/';
  showSignIn();
}

function route() {
  if (!state.user) return;
  state.view?.dispose?.();
  announce('');
  const match = location.hash.match(/^#\/tickets\/([\w-]+)$/);
  const context = { user: state.user, announce, refreshStats };
  if (/^#\/dashboard(\?|$)/.test(location.hash)) {
    state.view = dashboardView(context);
    return replaceChildren(main, state.view.element);
  }
  if (location.hash === '#/approved-answers') {
    state.view = approvedAnswersView(context);
    return replaceChildren(main, state.view.element);
  }
  state.view =
    alertRoute(location.hash, context) ??
    kbRoute(location.hash, context) ??
    (match ? ticketView(match[1], context) : queueView(context));
  replaceChildren(main, state.view.element);
}

async function start() {
  setLanguage(language());
  api.onSignedOut(() => {
    if (state.user) showSignIn(t('signIn.expired'));
  });
  window.addEventListener('hashchange', route);
  if (!localStorage.getItem(sessionHint)) return showSignIn();
  try {
    signedIn(await api.me());
  } catch {
    showSignIn();
  }
}

start();
