import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTaxonomy, type Taxonomy } from '../triage/taxonomy.js';
import { leastBusy, membersWithSkills, teamFor } from './ticket-routing.js';
import { escalationPathOf, loadTeams, noTeams, parseTeams, TeamsError } from './teams.js';

const knowledgeBase = fileURLToPath(new URL('../../knowledge-base/', import.meta.url));
let taxonomy: Taxonomy;

beforeAll(async () => {
  taxonomy = await loadTaxonomy(join(knowledgeBase, 'taxonomy.yaml'));
});

const path = `
escalation:
  - { level: 1, name: lead, at: 75%, urgency: high, notify: [assignee, lead] }
  - { level: 2, name: manager, at: 100%, urgency: critical, notify: [lead, duty_manager] }
`;
const file = (body: string, head = 'dutyManagers: [boss]\n') => `${head}${path}${body}`;

describe('teams.yaml', () => {
  it('loads the shipped demo file: every category of the taxonomy has a team', async () => {
    const config = await loadTeams(join(knowledgeBase, 'teams.yaml'), taxonomy);
    expect(config.assignment).toBe('least_open');
    expect(config.escalation.map((step) => [step.level, step.at, step.urgency])).toEqual([
      [1, 0.75, 'high'],
      [2, 1, 'critical'],
    ]);
    for (const category of taxonomy.categories) {
      for (const language of ['zh', 'en']) {
        const team = teamFor(config, { category: category.key, language, channel: 'webhook' });
        expect(team, `${category.key}/${language}`).toBeDefined();
        expect(
          membersWithSkills(team!, { category: category.key, language, channel: 'webhook' }),
        ).not.toHaveLength(0);
      }
    }
    // Complaints walk their own, earlier path.
    expect(escalationPathOf(config, 'complaints')[0]!.at).toBe(0.5);
    expect(escalationPathOf(config, 'logistics')[0]!.at).toBe(0.75);
  });

  it('is optional: without it there are no teams and the default path tells the assignee', async () => {
    const config = await loadTeams(join(knowledgeBase, 'no-such-teams.yaml'), taxonomy);
    expect(config).toBe(noTeams);
    expect(config.teams).toEqual([]);
    expect(config.escalation.every((step) => step.notify.join() === 'assignee')).toBe(true);
  });

  it.each([
    [
      'an unknown category',
      file(
        'teams:\n  - { key: a, name: A, lead: x, members: [x], takes: { categories: [refunds] } }',
      ),
      /categories not in taxonomy.yaml: refunds/,
    ],
    [
      'levels out of order',
      `dutyManagers: [boss]
escalation:
  - { level: 2, name: a, at: 75%, urgency: high, notify: [lead] }`,
      /levels count up from 1/,
    ],
    [
      'a step earlier than the one before',
      `escalation:
  - { level: 1, name: a, at: 100%, urgency: high, notify: [lead] }
  - { level: 2, name: b, at: 75%, urgency: high, notify: [lead] }`,
      /later in the window/,
    ],
    [
      'a later step asking for less urgency',
      `escalation:
  - { level: 1, name: a, at: 50%, urgency: critical, notify: [lead] }
  - { level: 2, name: b, at: 75%, urgency: high, notify: [lead] }`,
      /less urgency/,
    ],
    [
      'duty_manager without duty managers',
      file('', ''),
      /dutyManagers: a step notifies duty_manager/,
    ],
    [
      'a fallback team that does not exist',
      file('fallbackTeam: nobody\n'),
      /fallbackTeam: no team nobody/,
    ],
    [
      'a duplicate team',
      file(
        'teams:\n  - { key: a, name: A, lead: x, members: [x] }\n  - { key: a, name: B, lead: y, members: [y] }',
      ),
      /duplicate team a/,
    ],
    ['a share written without %', file('').replace('75%', '75 percent'), /write a share/],
    ['an unknown role', file('').replace('[assignee, lead]', '[assignee, boss]'), /notify/],
  ])('refuses %s, naming the place', (_name, source, message) => {
    expect(() => parseTeams(source, taxonomy)).toThrow(TeamsError);
    expect(() => parseTeams(source, taxonomy)).toThrow(message);
  });
});

describe('routing a new ticket', () => {
  const config = () =>
    parseTeams(
      file(`assignment: least_open
fallbackTeam: general
teams:
  - key: shipping
    name: Shipping
    lead: lead.s
    members: [ann, { username: bo, languages: [en] }, { username: cai, languages: [zh] }]
    takes: { categories: [logistics, order_change] }
  - key: english-shipping
    name: English shipping in the widget
    lead: lead.e
    members: [eve]
    takes: { categories: [logistics], languages: [en], channels: [widget] }
  - key: complaints
    name: Complaints
    lead: lead.c
    members: [{ username: dan, categories: [complaint] }, fay]
    takes: { categories: [complaint, account_privacy] }
  - key: english
    name: English desk
    lead: lead.en
    members: [gil]
    takes: { languages: [en] }
  - key: general
    name: General
    lead: lead.g
    members: [hal]
    takes: { categories: [invoice] }
`),
      taxonomy,
    );
  const route = (category: string | null, language: string | null, channel = 'webhook') =>
    teamFor(config(), { category, language, channel })?.key;

  it('picks the team by category, language and channel, the most specific first', () => {
    expect(route('logistics', 'zh')).toBe('shipping');
    expect(route('order_change', 'en')).toBe('shipping');
    // All three of english-shipping's conditions hold: it names more than shipping does.
    expect(route('logistics', 'en', 'widget')).toBe('english-shipping');
    expect(route('logistics', 'zh', 'widget')).toBe('shipping');
    expect(route('complaint', 'zh')).toBe('complaints');
    // One condition each (category, language): the file's order decides.
    expect(route('complaint', 'en')).toBe('complaints');
    expect(route('refund', 'en')).toBe('english');
    expect(route('invoice', 'zh')).toBe('general');
  });

  it('sends what no team takes to the fallback team, or to none without one', () => {
    expect(route('refund', 'zh')).toBe('general');
    expect(route(null, 'zh')).toBe('general');
    const withoutFallback = { ...config(), fallbackTeam: undefined };
    expect(teamFor(withoutFallback, { category: 'refund', language: 'zh', channel: 'x' })).toBe(
      undefined,
    );
  });

  it('offers only members whose own languages and categories fit', () => {
    const shipping = config().teams[0]!;
    const names = (language: string) =>
      membersWithSkills(shipping, { category: 'logistics', language, channel: 'x' }).map(
        (member) => member.username,
      );
    expect(names('en')).toEqual(['ann', 'bo']);
    expect(names('zh')).toEqual(['ann', 'cai']);
    const complaints = config().teams[2]!;
    expect(
      membersWithSkills(complaints, {
        category: 'account_privacy',
        language: 'zh',
        channel: 'x',
      }).map((member) => member.username),
    ).toEqual(['fay']);
  });

  it('assigns the assignable member with the fewest open tickets, the file order breaking ties', () => {
    const members = config().teams[0]!.members;
    expect(
      leastBusy(
        members,
        new Map([
          ['ann', 3],
          ['bo', 1],
          ['cai', 1],
        ]),
      ),
    ).toBe('bo');
    expect(
      leastBusy(
        members,
        new Map([
          ['ann', 0],
          ['bo', 0],
        ]),
      ),
    ).toBe('ann');
    // ann has no console account (not in the counts): she is skipped.
    expect(
      leastBusy(
        members,
        new Map([
          ['bo', 5],
          ['cai', 2],
        ]),
      ),
    ).toBe('cai');
    expect(leastBusy(members, new Map())).toBe(null);
  });
});
