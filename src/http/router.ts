/**
 * The router every route file plugs into: the app's context type, the OpenAPI router factory
 * (our validation-error shape), and the signature of a route file's `register…` function.
 * It imports no route file, so route files load alone and app.ts only composes them.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Principal } from '../auth/roles.js';
import { describeIssues, errorResponse } from './errors.js';

export type AppEnv = { Variables: { requestId: string; principal?: Principal } };

export function createOpenApiRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, context) => {
      if (!result.success)
        return errorResponse(context, 'validation_failed', describeIssues(result.error.issues));
    },
  });
}

/** The app a route file registers its routes on (built by createApp from createOpenApiRouter). */
export type ApiRouter = ReturnType<typeof createOpenApiRouter>;
