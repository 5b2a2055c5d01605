/**
 * The bot's message to the customer when a person takes over: the message is with the team
 * and when they will hear back, a moment taken from the working-time SLA clock and written
 * in the team's time zone ("今天 10:05（北京时间）前", "by 10:05 today (Saturday, Beijing
 * time)"), never a bare "5 minutes" that ignores closing hours. Apologetic for complaints
 * and upset customers.
 */
import { DateTime } from 'luxon';

export interface AcknowledgementInput {
  language: string;
  /** The ticket's first-response due time (working time, from sla-clock.ts). */
  dueAt: Date;
  /** When the customer wrote: "today" and "tomorrow" are counted from it. */
  receivedAt: Date;
  /** The team's IANA time zone (service-hours.yaml). */
  timezone: string;
  apologise: boolean;
}

const beijingZones = new Set([
  'Asia/Shanghai',
  'Asia/Chongqing',
  'Asia/Harbin',
  'Asia/Urumqi',
  'PRC',
]);
const zhWeekdays = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

function zoneLabel(due: DateTime, language: 'zh' | 'en'): string {
  if (beijingZones.has(due.zoneName ?? '')) return language === 'zh' ? '北京时间' : 'Beijing time';
  const offset = due.toFormat('ZZ').replace(/:00$/, '').replace(/^\+0/, '+').replace(/^-0/, '-');
  return `UTC${offset === '+0' ? '' : offset}`;
}

/** "今天 10:05" / "10:05 today (Saturday)" and so on, in the team's zone. */
export function promisedTime(
  dueAt: Date,
  receivedAt: Date,
  timezone: string,
  language: 'zh' | 'en',
): string {
  const due = DateTime.fromJSDate(dueAt, { zone: timezone });
  const from = DateTime.fromJSDate(receivedAt, { zone: timezone }).startOf('day');
  const days = Math.round(due.startOf('day').diff(from, 'days').days);
  const clock = due.toFormat('HH:mm');
  const zone = zoneLabel(due, language);
  if (language === 'zh') {
    const day =
      days === 0
        ? '今天'
        : days === 1
          ? '明天'
          : `${due.month}月${due.day}日（${zhWeekdays[due.weekday - 1]}）`;
    return `${day}${day.endsWith('）') ? '' : ' '}${clock}（${zone}）`;
  }
  const weekday = due.setLocale('en').toFormat('cccc');
  if (days === 0) return `${clock} today (${weekday}, ${zone})`;
  if (days === 1) return `${clock} tomorrow (${weekday}, ${zone})`;
  return `${clock} on ${weekday} ${due.setLocale('en').toFormat('d MMMM')} (${zone})`;
}

export function handoffAcknowledgement(input: AcknowledgementInput): string {
  const language: 'zh' | 'en' = input.language === 'zh' ? 'zh' : 'en';
  const when = promisedTime(input.dueAt, input.receivedAt, input.timezone, language);
  if (language === 'zh') {
    return input.apologise
      ? `您好，非常抱歉给您带来不便。您的消息已优先转交人工客服，我们会在${when}前回复您。`
      : `您好，您的消息已转交人工客服，我们会在${when}前回复您。`;
  }
  return input.apologise
    ? `Hello, and we are very sorry for the trouble. Your message is with our team as a priority, and we will reply by ${when}.`
    : `Hello, your message is with our team, and we will reply by ${when}.`;
}
