/**
 * SLA countdowns that tick every second. Each counts down from the `remainingSeconds` the
 * server computed, measured against this page's monotonic clock, so a browser whose
 * wall clock is off still shows the server's view.
 */
import { h } from './dom.js';
import { t } from './i18n.js';

const live = new Set();

function duration(totalSeconds) {
  const seconds = Math.abs(totalSeconds);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const pad = (value) => String(value).padStart(2, '0');
  if (days > 0) return t('duration.days', { days, hours: pad(hours) });
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(rest)}`;
  return `${pad(minutes)}:${pad(rest)}`;
}

function paint(entry) {
  const remaining = entry.remaining - Math.floor((performance.now() - entry.since) / 1000);
  const breached = remaining < 0;
  const text = breached
    ? t('sla.overdue', { time: duration(remaining) })
    : t('sla.left', { time: duration(remaining) });
  if (entry.element.textContent !== text) entry.element.textContent = text;
  entry.element.classList.toggle('sla-breached', breached);
  entry.element.classList.toggle('sla-soon', !breached && remaining < 300);
}

/** A cell for one clock: a live countdown while it runs, met / missed once it stopped. */
export function slaClock(clock) {
  if (!clock) return h('span', { className: 'sla sla-none' }, t('sla.none'));
  const title = new Date(clock.dueAt).toLocaleString();
  if (clock.state === 'met') return h('span', { className: 'sla sla-met', title }, t('sla.met'));
  if (clock.state === 'missed')
    return h('span', { className: 'sla sla-breached', title }, t('sla.missed'));
  const element = h('span', {
    className: 'sla sla-running',
    title,
    attrs: { 'data-sla': clock.state },
  });
  const entry = {
    element,
    remaining: clock.remainingSeconds ?? Math.floor((Date.parse(clock.dueAt) - Date.now()) / 1000),
    since: performance.now(),
  };
  live.add(entry);
  paint(entry);
  return element;
}

// Checked four times a second, so each countdown turns over within a quarter second of
// its own second (clocks created at different moments tick at different phases).
setInterval(() => {
  for (const entry of live) {
    if (entry.element.isConnected) paint(entry);
    else live.delete(entry);
  }
}, 250);
