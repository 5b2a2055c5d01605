/** Who may call what: three roles, and the principal a request acts as. */
import { z } from 'zod';

export const roles = ['integration', 'agent', 'admin'] as const;
export type Role = (typeof roles)[number];

/** `open` when the deployment runs without credentials (development only). */
export const principalKindSchema = z.enum(['api_key', 'user', 'open']);

export interface Principal {
  kind: z.infer<typeof principalKindSchema>;
  id: string;
  name: string;
  role: Role;
  /** Integration keys limited to some channels; undefined: every channel. */
  channels?: readonly string[];
}

/** Whether the principal may act for a channel (only integration keys are ever limited). */
export function mayUseChannel(principal: Principal, channel: string): boolean {
  return !principal.channels || principal.channels.includes(channel);
}
