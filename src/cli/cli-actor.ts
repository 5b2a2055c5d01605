/** Who the audit log says acted when a command changed something: the local user. */
import { userInfo } from 'node:os';
import type { AuditEntryInsert } from '../audit/audit.repository.js';

export const cliActor = (): Pick<AuditEntryInsert, 'actorType' | 'actorId'> => ({
  actorType: 'system',
  actorId: `cli:${userInfo().username}`,
});
