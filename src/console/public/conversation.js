/** The conversation as chat bubbles: customer on the left, bot and agents on the right. */
import { h } from './dom.js';
import { formatTime, t } from './i18n.js';

function bubble(message, customerName) {
  const who =
    message.author === 'customer'
      ? customerName || t('author.customer')
      : message.author === 'agent'
        ? message.authorId || t('author.agent')
        : t('author.bot');
  const meta = [
    h(
      'span',
      { className: 'who' },
      who,
      message.author === 'customer'
        ? null
        : h('span', { className: 'role' }, t(`author.${message.author}`)),
    ),
    h('time', { dateTime: message.createdAt }, formatTime(message.createdAt)),
  ];
  if (message.direction === 'outbound' && message.delivery) {
    meta.push(
      h(
        'span',
        { className: `delivery delivery-${message.delivery}` },
        t(`delivery.${message.delivery}`),
      ),
    );
  }
  return h(
    'li',
    {
      className: `bubble bubble-${message.author}`,
      dataset: { author: message.author, messageId: message.id },
    },
    h('div', { className: 'bubble-meta' }, meta),
    h('p', { className: 'bubble-text' }, message.text),
  );
}

export function conversationPanel(conversation) {
  const name = conversation.customer.name;
  return h(
    'section',
    { className: 'card conversation' },
    h(
      'header',
      { className: 'card-header' },
      h('h2', {}, t('ticket.conversation')),
      h(
        'span',
        { className: 'muted' },
        t('ticket.customerLine', {
          name: name || conversation.customer.id,
          channel: conversation.channel,
        }),
      ),
    ),
    h(
      'ol',
      { id: 'messages', className: 'messages' },
      conversation.messages.map((message) => bubble(message, name)),
    ),
  );
}
