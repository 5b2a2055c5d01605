/** The sentiment labels: one zod enum that the triage contract, the urgency rules and the LLM schema share. */
import { z } from 'zod';

export const sentimentLabelSchema = z.enum(['negative', 'neutral', 'positive']);
export type SentimentLabel = z.infer<typeof sentimentLabelSchema>;
