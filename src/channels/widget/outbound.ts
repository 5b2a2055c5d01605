/**
 * The widget's sender: nothing leaves over the network, since the visitor's page reads its
 * conversation from the widget's endpoints. Delivering a reply wakes the reply streams of its
 * conversation open in this process; the stored message is what they read, so a delivery
 * never fails and a retry changes nothing.
 */
import type { ChannelSender, OutboundDelivery } from '../channel.js';
import type { WidgetListeners } from './listeners.js';

export function widgetSender(listeners: WidgetListeners): ChannelSender {
  return {
    name: 'widget',
    async send(delivery: OutboundDelivery) {
      listeners.wake(delivery.conversationId);
    },
  };
}
