/**
 * The contract of `GET /v1/stats/kpis`: the query (range, filters and the windows the
 * definitions use) and the answer, where every figure carries what it was computed from and
 * its definition in words.
 */
import { z } from '@hono/zod-openapi';

const windowParam = (min: number, max: number, fallback: number, description: string) =>
  z.coerce.number().int().min(min).max(max).default(fallback).openapi({ description });

/** A moment, or a date meaning the start of that day in the service hours' time zone. */
const moment = z.union([z.iso.datetime({ offset: true }), z.iso.date()]).openapi({
  description:
    'An ISO date-time with offset, or a date (YYYY-MM-DD: the start of that day in the service hours time zone)',
});

export const kpiQuerySchema = z
  .object({
    from: moment
      .optional()
      .openapi({ description: 'Start of the range (inclusive); default `to` minus 7 days' }),
    to: moment.optional().openapi({ description: 'End of the range (exclusive); default now' }),
    channel: z.string().trim().min(1).max(64).optional().openapi({ example: 'wecom' }),
    category: z.string().trim().min(1).max(64).optional().openapi({ example: 'logistics' }),
    followUpHours: windowParam(
      1,
      720,
      24,
      'An automatic answer with no follow-up from the customer this long is resolved (assumed or confirmed)',
    ),
    durableDays: windowParam(1, 90, 7, 'A solve not reopened this long is durable'),
    repeatDays: windowParam(
      1,
      90,
      7,
      'Another contact from the same customer this soon is a repeat',
    ),
    firstResponseTargetMinutes: windowParam(
      1,
      24 * 60,
      3,
      'Working minutes a first reply by a person should take (the trade aims at 90 % within 3)',
    ),
  })
  .openapi('KpiQuery');
export type KpiQuery = z.infer<typeof kpiQuerySchema>;

export const kpiUnits = [
  'ratio',
  'minutes',
  'characters',
  'rating',
  'tokens',
  'count',
  'currency',
] as const;

export const kpiFigureSchema = z
  .object({
    value: z.number().nullable().openapi({
      description:
        'The figure (a ratio 0-1, minutes, ...); null when nothing was there to measure or it is not measured',
    }),
    numerator: z.number().nullable(),
    denominator: z.number().nullable(),
    /** Items not decided yet (a window still open, a clock still running): in neither count. */
    pending: z.number().int().optional(),
    unit: z.enum(kpiUnits),
    definition: z.string(),
  })
  .openapi('KpiFigure');
export type KpiFigure = z.infer<typeof kpiFigureSchema>;

export const kpiKeys = [
  'automaticAnswerRate',
  'handoffRate',
  'autoAnswersConfirmed',
  'autoAnswersAssumed',
  'autoAnswersFollowedUp',
  'solvesDurable',
  'solvesReopened',
  'firstResponseMean',
  'firstResponseP90',
  'firstResponseWithinTarget',
  'slaFirstResponse',
  'slaResolution',
  'firstContactResolution',
  'repeatContactRate',
  'draftsUnchanged',
  'draftsEdited',
  'draftsRejected',
  'meanEditDistance',
  'csatScore',
  'csatMeanRating',
  'csatResponseRate',
  'llmShare',
  'llmTokens',
  'llmFallbacks',
  'llmCost',
] as const;
export type KpiKey = (typeof kpiKeys)[number];

export const kpiReportSchema = z
  .object({
    range: z.object({
      from: z.string(),
      to: z.string(),
      channel: z.string().nullable(),
      category: z.string().nullable(),
      timezone: z
        .string()
        .openapi({ description: 'Service hours time zone: days of the series, working time' }),
    }),
    windows: z.object({
      followUpHours: z.number(),
      durableDays: z.number(),
      repeatDays: z.number(),
      firstResponseTargetMinutes: z.number(),
    }),
    computedAt: z.string(),
    kpis: z.object(
      Object.fromEntries(kpiKeys.map((key) => [key, kpiFigureSchema])) as Record<
        KpiKey,
        typeof kpiFigureSchema
      >,
    ),
    handoffReasons: z
      .object({
        definition: z.string(),
        handoffs: z.number().int(),
        reasons: z.array(
          z.object({ code: z.string(), count: z.number().int(), share: z.number() }),
        ),
      })
      .openapi({ description: 'Why contacts were handed off, by stored reason code' }),
    csatDistribution: z
      .object({ definition: z.string(), counts: z.array(z.number().int()).length(5) })
      .openapi({ description: 'Survey answers per rating 1..5' }),
    daily: z
      .object({
        definition: z.string(),
        days: z.array(
          z.object({
            date: z.string().openapi({ example: '2026-03-10' }),
            contacts: z.number().int(),
            automaticAnswers: z.number().int(),
            handoffs: z.number().int(),
          }),
        ),
      })
      .openapi({ description: 'Contacts per day of the range in the service hours time zone' }),
  })
  .openapi('KpiReport');
export type KpiReport = z.infer<typeof kpiReportSchema>;
