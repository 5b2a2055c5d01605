/** The urgency scale, lowest first: one list that the contract, the policy and the ticket queue share. */
export const urgencyLevels = ['low', 'normal', 'high', 'critical'] as const;
export type UrgencyLevel = (typeof urgencyLevels)[number];
