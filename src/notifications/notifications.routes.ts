/** The signed-in person's notifications: list (the console's bell) and mark one read. */
import { createRoute, z } from '@hono/zod-openapi';
import { commonErrorResponses, errorBodySchema } from '../http/errors.js';
import type { ApiRouter } from '../http/router.js';
import type { NotificationService } from './notification.service.js';
import { notificationListSchema, notificationSchema } from './notification-contract.js';

export function registerNotificationsRoutes(
  app: ApiRouter,
  services: { staffNotifications: NotificationService },
) {
  const list = createRoute({
    method: 'get',
    path: '/v1/notifications',
    summary: "The signed-in user's notifications (SLA escalations), newest first",
    request: {
      query: z.object({
        unread: z
          .enum(['true', 'false'])
          .optional()
          .openapi({ description: '`true`: only unread ones' }),
        limit: z.coerce.number().int().min(1).max(200).optional(),
      }),
    },
    responses: {
      200: {
        description: 'Notifications and the unread count',
        content: { 'application/json': { schema: notificationListSchema } },
      },
      ...commonErrorResponses,
    },
  });
  const read = createRoute({
    method: 'post',
    path: '/v1/notifications/{id}/read',
    summary: 'Mark one of your notifications read',
    request: { params: z.object({ id: z.uuid() }) },
    responses: {
      200: {
        description: 'The notification',
        content: { 'application/json': { schema: notificationSchema } },
      },
      404: {
        description: 'No such notification of yours',
        content: { 'application/json': { schema: errorBodySchema } },
      },
      ...commonErrorResponses,
    },
  });

  app
    .openapi(list, async (context) => {
      const query = context.req.valid('query');
      return context.json(
        await services.staffNotifications.list(context.get('principal')!.name, {
          unread: query.unread === 'true',
          ...(query.limit ? { limit: query.limit } : {}),
        }),
        200,
      );
    })
    .openapi(read, async (context) =>
      context.json(
        await services.staffNotifications.markRead(
          context.get('principal')!.name,
          context.req.valid('param').id,
        ),
        200,
      ),
    );
}
