import { describe, expect, it } from 'vitest';
import type { HandoffDelivery } from '../channel.js';
import { chatwootPriority, handoffLabels, handoffNote } from './handoff-note.js';

const delivery: HandoffDelivery = {
  deliveryId: 'd1',
  type: 'conversation.handoff',
  messageId: 'm1',
  channel: 'chatwoot',
  conversationId: '1:10',
  customerId: '1:14',
  inReplyTo: '118',
  ticketId: 't-42',
  category: 'quality_issue',
  urgency: { score: 81, level: 'critical' },
  reasons: ['The customer is angry', 'The customer asks for a person'],
  draft: 'I am sorry your parcel arrived damaged. I have arranged a replacement.',
  firstResponseDueAt: '2026-11-24T10:00:00.000Z',
  createdAt: '2026-11-24T09:00:00.000Z',
};

describe('a hand-off as Chatwoot agents see it', () => {
  it('maps our four urgency levels onto Chatwoot’s four priorities', () => {
    expect(
      ['low', 'normal', 'high', 'critical'].map((level) => chatwootPriority(level as any)),
    ).toEqual(['low', 'medium', 'high', 'urgent']);
  });

  it('labels the category and the urgency level, in Chatwoot’s label alphabet', () => {
    expect(handoffLabels(delivery)).toEqual(['quality_issue', 'urgency-critical']);
    expect(handoffLabels({ ...delivery, category: null })).toEqual(['urgency-critical']);
    expect(handoffLabels({ ...delivery, category: 'Order Change!' })).toEqual([
      'order-change',
      'urgency-critical',
    ]);
  });

  it('writes category, urgency, reasons, the due time and the draft marked as unsent', () => {
    const note = handoffNote(delivery);
    expect(note).toContain('ticket t-42');
    expect(note).toContain('Category: quality_issue');
    expect(note).toContain('Urgency: critical (score 81 of 100)');
    expect(note).toContain('First response due: 2026-11-24 10:00 UTC');
    expect(note).toContain('- The customer is angry\n- The customer asks for a person');
    expect(note).toMatch(/DRAFT REPLY \(not sent to the customer[^\n]*\n---\nI am sorry/);
    expect(note.indexOf('Why a person')).toBeLessThan(note.indexOf('DRAFT'));
  });

  it('says so when there is no draft or no category', () => {
    const note = handoffNote({ ...delivery, draft: null, category: null, reasons: [] });
    expect(note).toContain('No draft');
    expect(note).not.toContain('DRAFT REPLY');
    expect(note).toContain('Category: none');
    expect(note).not.toContain('Why a person');
  });
});
