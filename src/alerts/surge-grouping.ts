/**
 * From the keys that tested significant in one run to alerts: one wave raises several keys at
 * once (a courier outage lifts its carrier, the "delayed parcel" entry and the logistics
 * category), and agents should get one alert for it, named by its most specific key. A key
 * that already belongs to an alert whose surge goes on updates that alert instead of raising
 * a new one, so the same ongoing surge never alerts twice.
 */
import { type AlertKey, alertKinds } from './alert-contract.js';
import type { SurgeJudgement } from './surge-test.js';

export interface SignificantKey extends AlertKey {
  judgement: SurgeJudgement;
  /** The key's conversations in the window. */
  conversations: ReadonlySet<string>;
}

export interface KnownAlert extends AlertKey {
  id: string;
  related: readonly AlertKey[];
}

export interface GroupingPlan {
  /** Alerts whose surge goes on: the keys significant now, and the related keys afterwards. */
  ongoing: { alertId: string; keys: SignificantKey[]; related: AlertKey[] }[];
  /** New alerts: the main key and the keys folded into it. */
  raised: { main: SignificantKey; related: SignificantKey[] }[];
}

/**
 * Two keys are one wave when at least this share of the second key's window conversations
 * are the first's: the second rose because of the same conversations.
 */
export const sameWaveOverlap = 0.5;

const sameKey = (a: AlertKey, b: AlertKey) => a.kind === b.kind && a.key === b.key;
/** Most specific first: a carrier names the problem better than the category it falls in. */
const specificity = (key: AlertKey) => alertKinds.indexOf(key.kind);

function overlap(key: SignificantKey, conversations: ReadonlySet<string>): number {
  if (key.conversations.size === 0) return 0;
  let shared = 0;
  for (const conversation of key.conversations) if (conversations.has(conversation)) shared++;
  return shared / key.conversations.size;
}

/**
 * `known`: alerts a key may already belong to, the preferred first (the caller lists
 * unresolved ones before resolved ones whose surge is still going on).
 */
export function planAlerts(
  significant: readonly SignificantKey[],
  known: readonly KnownAlert[],
): GroupingPlan {
  const ordered = [...significant].sort(
    (a, b) => specificity(a) - specificity(b) || a.judgement.pValue - b.judgement.pValue,
  );
  interface Group {
    alert?: KnownAlert;
    keys: SignificantKey[];
    conversations: Set<string>;
  }
  const groups: Group[] = [];
  const groupOf = (alert: KnownAlert) => {
    let group = groups.find((candidate) => candidate.alert?.id === alert.id);
    if (!group) groups.push((group = { alert, keys: [], conversations: new Set() }));
    return group;
  };
  const join = (group: Group, key: SignificantKey) => {
    group.keys.push(key);
    for (const conversation of key.conversations) group.conversations.add(conversation);
  };

  const unplaced: SignificantKey[] = [];
  for (const key of ordered) {
    const alert = known.find(
      (candidate) => sameKey(candidate, key) || candidate.related.some((r) => sameKey(r, key)),
    );
    if (alert) join(groupOf(alert), key);
    else unplaced.push(key);
  }
  for (const key of unplaced) {
    let best: Group | undefined;
    let bestOverlap = 0;
    for (const group of groups) {
      const shared = overlap(key, group.conversations);
      if (shared > bestOverlap) [best, bestOverlap] = [group, shared];
    }
    if (best && bestOverlap >= sameWaveOverlap) join(best, key);
    else groups.push({ keys: [key], conversations: new Set(key.conversations) });
  }

  const plan: GroupingPlan = { ongoing: [], raised: [] };
  for (const group of groups) {
    if (group.alert) {
      const alert = group.alert;
      const related = [...alert.related];
      for (const key of group.keys) {
        if (sameKey(key, alert) || related.some((r) => sameKey(r, key))) continue;
        related.push({ kind: key.kind, key: key.key });
      }
      plan.ongoing.push({ alertId: alert.id, keys: group.keys, related });
    } else {
      const [main, ...related] = group.keys;
      plan.raised.push({ main: main!, related });
    }
  }
  return plan;
}
