/** What the HTTP layer needs from the rest of the service; built once in src/app.ts. */
import type { Logger } from 'pino';
import type { Config } from '../config/env.js';
import type { DatabaseHandle } from '../db/database.js';
import type { KnowledgeBase } from '../kb/kb.service.js';
import type { TriageEngine } from '../triage/engine.js';
import type { AuthSettings } from '../auth/auth.middleware.js';
import type { ConversationReader } from '../conversations/conversation.reader.js';
import type { MessageIntake } from '../conversations/message-intake.js';
import type { TicketService } from '../tickets/ticket.service.js';
import type { ServiceMetrics } from '../metrics/metrics.js';
import type { ServiceLifecycle } from '../service-lifecycle.js';
import type { ChannelRegistry } from '../channels/registry.js';
import type { KpiService } from '../stats/kpi.service.js';
import type { AlertService } from '../alerts/alert.service.js';
import type { ApprovedAnswerService } from '../approved-answers/approved-answer.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { TeamDirectory } from '../teams/team-directory.js';
import type { CustomerService } from '../customers/customer.service.js';

export interface AppServices {
  config: Config;
  database: DatabaseHandle;
  logger: Logger;
  triage: TriageEngine;
  knowledgeBase: KnowledgeBase;
  intake: MessageIntake;
  tickets: TicketService;
  conversations: ConversationReader;
  channelRegistry: Pick<ChannelRegistry, 'mount' | 'ownsChannel'>;
  auth: AuthSettings;
  metrics: ServiceMetrics;
  lifecycle: Pick<ServiceLifecycle, 'state'>;
  kpis: KpiService;
  alerts: AlertService;
  approvedAnswers: ApprovedAnswerService;
  teams: TeamDirectory;
  staffNotifications: NotificationService;
  customers: CustomerService;
}
