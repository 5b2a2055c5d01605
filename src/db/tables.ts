/** Row types of every table, as Kysely sees them. Kept in step with migrations/. */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type {
  DeliveryStatus,
  MessageAuthor,
  MessageDirection,
  TicketStatus,
} from '../tickets/ticket-contract.js';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface KnowledgeDocumentsTable {
  id: Generated<string>;
  document_key: string;
  /** `knowledge-base`, `upload`, or the absolute path of a folder ingested by `kb ingest`. */
  source: string;
  source_path: string;
  kind: 'faq' | 'policy';
  entry_id: string;
  locale: string;
  title: string;
  category: string | null;
  auto_reply: Generated<boolean>;
  body: string;
  content_hash: string;
  metadata: Json<Record<string, unknown>>;
  /**
   * `held`: flagged by the ingestion screen, stored without chunks until an admin approves it.
   * `superseded`: replaced by a console version of its entry (0015); `deleted`: a console
   * tombstone of a shipped entry (0015). Neither has chunks.
   */
  status: ColumnType<KnowledgeDocumentStatus, KnowledgeDocumentStatus | undefined>;
  /** The screen's findings, `[{code, evidence}]`. */
  held_reasons: ColumnType<unknown, string | undefined, string>;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  /** Who wrote this console version or tombstone (0015); null for files and uploads. */
  edited_by: string | null;
}

export type KnowledgeDocumentStatus = 'active' | 'held' | 'superseded' | 'deleted';

export interface KnowledgeChunksTable {
  id: Generated<string>;
  document_id: string;
  entry_id: string;
  locale: string;
  kind: 'question' | 'answer' | 'passage';
  ordinal: number;
  text: string;
  tokens: string;
  tsv: ColumnType<string, never, never>;
  /** pgvector text form on write ('[1,2,3]'); read back with pgvector.fromSql. */
  embedding: string | null;
  embedding_model: string | null;
  embedding_dim: number | null;
}

export interface ModelStatesTable {
  model: string;
  kind: string;
  state: Json<unknown>;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface ConversationsTable {
  id: Generated<string>;
  channel: string;
  external_id: string;
  customer_id: string;
  customer_name: string | null;
  status: Generated<string>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MessagesTable {
  id: Generated<string>;
  conversation_id: string;
  channel: string;
  external_message_id: string | null;
  direction: MessageDirection;
  author: MessageAuthor;
  text: string;
  sent_at: Date | string | null;
  created_at: CreatedAt;
  processing: Generated<'received' | 'triaged'>;
  claimed_at: Date | string | null;
  /** The channel's locale hint, kept for the background triage (0008). */
  locale: string | null;
  reply_to_message_id: string | null;
  author_id: string | null;
  /** When the retention job replaced the text (0010); null: the text is as received. */
  redacted_at: Date | string | null;
}

export interface TriageResultsTable {
  id: Generated<string>;
  message_id: string;
  category: string | null;
  action: string;
  urgency_score: number;
  provider: string;
  result: Json<unknown>;
  created_at: CreatedAt;
  ticket_id: string | null;
}

export interface TicketsTable {
  id: Generated<string>;
  conversation_id: string;
  message_id: string;
  status: Generated<TicketStatus>;
  category: string | null;
  urgency_score: number;
  urgency_level: string;
  reasons: Json<string[]>;
  draft: string | null;
  evidence: Json<unknown[]>;
  assignee: string | null;
  first_response_due_at: Date | string | null;
  resolution_due_at: Date | string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  first_responded_at: Date | string | null;
  solved_at: Date | string | null;
  last_customer_message_at: Date | string | null;
  escalated: Generated<boolean>;
  /** The team that took it (knowledge-base/teams.yaml; 0014). */
  team: string | null;
  /** 0, or the last escalation step reached (0014). */
  escalation_level: Generated<number>;
  /** When the escalation job next looks at it; null: no step left (0014). */
  escalation_check_at: Date | string | null;
  language: string | null;
  subject: string | null;
  /** When the retention job replaced the draft, subject and reasons (0010). */
  redacted_at: Date | string | null;
}

export interface OutboxTable {
  id: Generated<string>;
  message_id: string;
  channel: string;
  payload: Json<Record<string, unknown>>;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date | string>;
  locked_until: Date | string | null;
  last_error: string | null;
  delivered_at: Date | string | null;
  created_at: CreatedAt;
}

export type AgentActionKind =
  | 'accept'
  | 'edit'
  | 'reject'
  | 'reply'
  | 'reassign'
  | 'escalate'
  | 'solve'
  | 'close'
  | 'reopen'
  | 'pending';

export interface AgentActionsTable {
  id: Generated<string>;
  ticket_id: string;
  agent_id: string;
  action: AgentActionKind;
  draft: string | null;
  sent_text: string | null;
  edit_distance: number | null;
  reason: string | null;
  corrected_category: string | null;
  sent_message_id: string | null;
  at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  role: 'agent' | 'admin';
  password_hash: string;
  disabled_at: Date | string | null;
  created_at: CreatedAt;
}

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  role: 'integration' | 'agent' | 'admin';
  key_hash: string;
  revoked_at: Date | string | null;
  created_at: CreatedAt;
  /** Integration keys: the channels the key may act for; null: every channel. */
  channels: ColumnType<string[] | null, string | null | undefined, string | null>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Date | string;
}

export interface SignInFailuresTable {
  key: string;
  failures: number;
  locked_until: Date | string | null;
  last_failure_at: Date | string;
}

/** A channel adapter's value per key, e.g. WeCom's sync cursor (0009). */
export interface ChannelStateTable {
  channel: string;
  key: string;
  value: Json<unknown>;
  updated_at: Date | string | undefined;
}

/** Platform event ids already taken, for dropping retried deliveries (0009). */
export interface ChannelEventsTable {
  channel: string;
  event_id: string;
  received_at: Date | string | undefined;
}

export interface AppSettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: CreatedAt;
  actor_type: string;
  actor_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  details: Json<Record<string, unknown>>;
}

/** One escalation step reached on one SLA clock of a ticket, and its webhook (0014). */
export interface TicketEscalationsTable {
  id: Generated<string>;
  ticket_id: string;
  clock: 'first_response' | 'resolution';
  level: number;
  at_share: number;
  urgency_level: string;
  team: string | null;
  due_at: Date | string;
  recipients: Json<string[]>;
  reached_at: Date | string;
  notify_status: 'pending' | 'sent' | 'failed' | null;
  notify_attempts: Generated<number>;
  notify_next_at: Date | string | null;
  notify_error: string | null;
}

/** A console user's notification (0014). */
export interface NotificationsTable {
  id: Generated<string>;
  recipient: string;
  kind: string;
  ticket_id: string | null;
  escalation_id: string | null;
  created_at: Date | string;
  read_at: Date | string | null;
}

/** A satisfaction survey sent when a ticket was solved, and its answer (0011). */
export interface CsatSurveysTable {
  id: Generated<string>;
  ticket_id: string;
  conversation_id: string;
  message_id: string;
  language: string;
  sent_at: Date | string;
  expires_at: Date | string;
  rating: number | null;
  response_message_id: string | null;
  answered_at: Date | string | null;
}

/** Surge alerts raised by the detector (0012); `related` is `[{kind, key}]`. */
export interface AlertsTable {
  id: Generated<string>;
  kind: string;
  key: string;
  related: Json<unknown>;
  status: Generated<'open' | 'acknowledged' | 'resolved'>;
  window_start: Date | string;
  window_end: Date | string;
  observed: number;
  expected: number;
  p_value: number;
  window_total: number;
  baseline_count: number;
  baseline_total: number;
  peak_observed: number;
  grouped_since: Date | string;
  raised_at: Date | string;
  last_significant_at: Date | string;
  updated_at: Date | string;
  acknowledged_by: string | null;
  acknowledged_at: Date | string | null;
  resolved_by: string | null;
  resolved_at: Date | string | null;
  notify_status: 'pending' | 'sent' | 'failed' | null;
  notify_attempts: Generated<number>;
  notify_next_at: Date | string | null;
  notify_error: string | null;
}

/** The tickets grouped under an alert (0012). */
export interface AlertTicketsTable {
  alert_id: string;
  ticket_id: string;
  added_at: Date | string;
  replied_at: Date | string | null;
}

/** One row per detector time slot, claimed by the instance that runs it (0012). */
export interface SurgeRunsTable {
  slot: Date | string;
  started_at: Date | string;
  finished_at: Date | string | null;
  keys_tested: number | null;
  significant: number | null;
  raised: number | null;
}

/** Candidate and approved answers for knowledge-base entries, from agents' replies (0013). */
export interface ApprovedAnswersTable {
  id: Generated<string>;
  entry_id: string;
  language: string;
  status: ColumnType<
    'pending' | 'approved' | 'rejected',
    'pending' | 'approved' | 'rejected' | undefined,
    'pending' | 'approved' | 'rejected'
  >;
  question: string;
  answer: string;
  proposed_answer: string;
  origin: 'accepted' | 'edited' | 'rewritten' | 'reply';
  edit_ratio: number | null;
  source_ticket_id: string | null;
  source_message_id: string | null;
  agent_id: string;
  /** `[{kind, count}]` replaced in the proposal. */
  redactions: Json<unknown>;
  /** `[{code, evidence}]` the output check found in the proposal. */
  violations: Json<unknown>;
  proposals: Generated<number>;
  reviewed_by: string | null;
  reviewed_at: Date | string | null;
  review_note: string | null;
  use_count: Generated<number>;
  last_used_at: Date | string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface KnowledgeTermsTable {
  term: string;
  df: number;
}

export interface KnowledgeTermTotalsTable {
  id: boolean;
  chunks: number;
  tokens: number;
}

export interface Database {
  knowledge_terms: KnowledgeTermsTable;
  knowledge_term_totals: KnowledgeTermTotalsTable;
  knowledge_documents: KnowledgeDocumentsTable;
  knowledge_chunks: KnowledgeChunksTable;
  model_states: ModelStatesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  triage_results: TriageResultsTable;
  tickets: TicketsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  agent_actions: AgentActionsTable;
  ticket_escalations: TicketEscalationsTable;
  notifications: NotificationsTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  app_settings: AppSettingsTable;
  channel_state: ChannelStateTable;
  channel_events: ChannelEventsTable;
  sessions: SessionsTable;
  sign_in_failures: SignInFailuresTable;
  alerts: AlertsTable;
  alert_tickets: AlertTicketsTable;
  surge_runs: SurgeRunsTable;
  csat_surveys: CsatSurveysTable;
  approved_answers: ApprovedAnswersTable;
}

export type KnowledgeDocumentRow = Selectable<KnowledgeDocumentsTable>;
export type NewKnowledgeChunk = Insertable<KnowledgeChunksTable>;
