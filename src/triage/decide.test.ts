import { describe, expect, it } from 'vitest';
import { type DecisionInput, decide } from './decide.js';

const confident: DecisionInput = {
  category: 'logistics',
  outOfScope: false,
  autoReplyMode: 'always',
  acknowledges: false,
  classifierConfidence: 0.9,
  intent: { label: 'question', confidence: 0.9 },
  bestMatch: { id: 'delayed_parcel', score: 0.9, autoReply: true },
  thresholds: { classifier: 0.5, retrieval: 0.5 },
  urgency: 'low',
  maxUrgency: 'low',
  flags: [],
};

describe('decide', () => {
  it('answers alone only when every condition holds, grounded in the match', () => {
    expect(decide(confident)).toMatchObject({
      action: 'auto_reply',
      reasons: ['answered from delayed_parcel'],
      groundedIn: 'delayed_parcel',
    });
  });

  it.each<[string, Partial<DecisionInput>, RegExp]>([
    [
      'a never category',
      { category: 'complaint', autoReplyMode: 'never' },
      /always handled by a person/,
    ],
    [
      'a request in a questions category',
      { autoReplyMode: 'questions', intent: { label: 'request', confidence: 0.8 } },
      /a request/,
    ],
    ['an unsure classifier', { classifierConfidence: 0.3 }, /classifier unsure/],
    ['a weak match', { bestMatch: { id: 'x', score: 0.2, autoReply: true } }, /not confident/],
    ['no match', { bestMatch: null }, /no knowledge-base entry/],
    [
      'a person-only entry',
      { bestMatch: { id: 'damaged_parcel', score: 0.9, autoReply: false } },
      /sent by a person only/,
    ],
    ['urgency above the limit', { urgency: 'normal' }, /urgency normal is above low/],
    ['a risk flag', { flags: ['prompt_injection'] }, /risk flag: prompt_injection/],
    ['out of scope', { outOfScope: true, category: null }, /out of scope/],
    [
      'an entry that does not answer the message',
      { answerability: { none: 0.6, limit: 0.2 } },
      /delayed_parcel is the nearest entry but does not answer this/,
    ],
    [
      'a person-only category the match relabelled',
      { classifierPersonOnly: 'complaint' },
      /classifier alone says complaint/,
    ],
    [
      'an entry of a category the classifier rules out',
      {
        classifierSupport: 0.04,
        bestMatch: { id: 'delayed_parcel', score: 0.9, autoReply: true, category: 'logistics' },
      },
      /delayed_parcel is about logistics, which the classifier rules out/,
    ],
  ])('hands off for %s, saying why', (_name, change, reason) => {
    const decision = decide({ ...confident, ...change });
    expect(decision.action).toBe('handoff');
    expect(decision.groundedIn).toBeNull();
    expect(decision.reasons.join('; ')).toMatch(reason);
  });

  it('answers when the answerability model finds the entry answers', () => {
    expect(decide({ ...confident, answerability: { none: 0.05, limit: 0.2 } }).action).toBe(
      'auto_reply',
    );
  });

  it("answers when the classifier gives the entry's category a fair chance", () => {
    const agreeing = {
      ...confident,
      classifierSupport: 0.3,
      bestMatch: { id: 'delayed_parcel', score: 0.9, autoReply: true, category: 'logistics' },
    };
    expect(decide(agreeing).action).toBe('auto_reply');
  });

  it('acknowledges without a knowledge-base entry when the category thanks', () => {
    const decision = decide({
      ...confident,
      category: 'feedback',
      acknowledges: true,
      bestMatch: null,
    });
    expect(decision.action).toBe('auto_reply');
    expect(decision.groundedIn).toBeNull();
  });

  it('keeps the bot silent while an agent holds the conversation or a ticket is open, and says so', () => {
    for (const conversation of [
      { agentHolds: true, openTicket: false },
      { agentHolds: false, openTicket: true },
    ]) {
      const decision = decide({ ...confident, conversation });
      expect(decision).toMatchObject({ action: 'handoff', groundedIn: null });
      expect(decision.details.map((item) => item.code)).toEqual(['agent_handling']);
    }
    expect(
      decide({ ...confident, conversation: { agentHolds: false, openTicket: false } }).action,
    ).toBe('auto_reply');
  });

  it('answers small talk briefly, but keeps it with an open ticket', () => {
    const smallTalk = { ...confident, smallTalk: 'thanks' as const, bestMatch: null };
    expect(decide(smallTalk)).toMatchObject({
      action: 'auto_reply',
      details: [{ code: 'small_talk' }],
    });
    expect(
      decide({ ...smallTalk, conversation: { agentHolds: true, openTicket: false } }).action,
    ).toBe('auto_reply');
    expect(
      decide({ ...smallTalk, conversation: { agentHolds: false, openTicket: true } }),
    ).toMatchObject({ action: 'handoff', details: [{ code: 'small_talk_on_ticket' }] });
  });
});
