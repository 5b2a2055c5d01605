/**
 * The part of the Compose file format that compose.yaml uses, as a strict zod schema: a key
 * outside it (a typo such as `healtcheck`, or a feature nobody here has checked) is reported
 * rather than ignored, the way `docker compose config` would accept and silently drop it.
 * Top-level `x-` keys (anchors for repeated blocks) are allowed and not checked.
 */
import { z } from 'zod';

/** Compose durations: `10s`, `1m30s`, `500ms`. */
const durationSchema = z.string().regex(/^(\d+(ms|us|s|m|h))+$/, 'a duration such as 10s or 1m30s');

export const healthcheckSchema = z.union([
  z.object({ disable: z.literal(true) }).strict(),
  z
    .object({
      test: z
        .array(z.string())
        .min(2)
        .refine((test) => test[0] === 'CMD' || test[0] === 'CMD-SHELL', {
          message: 'starts with CMD or CMD-SHELL',
        }),
      interval: durationSchema,
      timeout: durationSchema,
      retries: z.number().int().positive(),
      start_period: durationSchema.optional(),
    })
    .strict(),
]);
export type Healthcheck = z.infer<typeof healthcheckSchema>;

export const dependencyConditionSchema = z.enum([
  'service_started',
  'service_healthy',
  'service_completed_successfully',
]);

export const composeServiceSchema = z
  .object({
    image: z.string().optional(),
    build: z
      .union([
        z.string(),
        z.object({ context: z.string(), dockerfile: z.string().optional() }).strict(),
      ])
      .optional(),
    /** Exec form only: a shell string would hide which program runs. */
    command: z.array(z.string()).min(1).optional(),
    restart: z.enum(['no', 'always', 'on-failure', 'unless-stopped']).optional(),
    environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** `host:container`, published on every interface. */
    ports: z.array(z.string().regex(/^\d+:\d+$/, 'host:container, both numbers')).optional(),
    /** `volume-name:/path` or `./host/path:/path`. */
    volumes: z
      .array(z.string().regex(/^[^:]+:\/[^:]*(:ro)?$/, 'source:/container/path'))
      .optional(),
    healthcheck: healthcheckSchema.optional(),
    depends_on: z
      .record(z.string(), z.object({ condition: dependencyConditionSchema }).strict())
      .optional(),
  })
  .strict();
export type ComposeService = z.infer<typeof composeServiceSchema>;

export const composeFileSchema = z
  .object({
    name: z.string().optional(),
    services: z.record(z.string(), composeServiceSchema),
    volumes: z.record(z.string(), z.null()).optional(),
  })
  .strict();
export type ComposeFile = z.infer<typeof composeFileSchema>;

/** The file without its `x-` extension keys, which only hold anchors. */
export function withoutExtensions(parsed: unknown): unknown {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return parsed;
  return Object.fromEntries(Object.entries(parsed).filter(([key]) => !key.startsWith('x-')));
}
