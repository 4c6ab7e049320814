import type { Hono, MiddlewareHandler } from 'hono';
import * as z from '../../../shared/schemas/zod';
import { NotificationIdSchema, NotificationListSchema, NotificationQuerySchema } from '../../../shared/schemas/notification';
import type { AppEnv } from '../http/env';
import { bearer, defineRoute, errorResponses, jsonResponse, openapi } from '../http/openapi';
import * as notifications from './service';

const tags = ['notifications'];
const { 400: e400, 401: e401, 404: e404 } = errorResponses;

export const listNotificationsRoute = defineRoute({
  method: 'get', path: '/v1/notifications', tags, security: bearer,
  summary: 'The caller\'s notifications, newest first, with the unread count',
  request: { query: NotificationQuerySchema },
  responses: { 200: jsonResponse(NotificationListSchema, 'A page of notifications'), 400: e400, 401: e401 },
});

export const readNotificationRoute = defineRoute({
  method: 'post', path: '/v1/notifications/{id}/read', tags, security: bearer,
  summary: 'Mark one notification read',
  request: { params: z.strictObject({ id: NotificationIdSchema }) },
  responses: { 200: jsonResponse(z.object({ id: z.string(), read: z.literal(true) }), 'Read'), 400: e400, 401: e401, 404: e404 },
});

/** Each user's in-app inbox. */
export function registerNotificationRoutes(app: Hono<AppEnv>, deps: notifications.NotificationDeps, auth: MiddlewareHandler<AppEnv>): void {
  app.use('/v1/notifications', auth);
  app.use('/v1/notifications/*', auth);
  openapi(app, listNotificationsRoute, async (c) => c.json(await notifications.listNotifications(deps, c.get('caller'), c.req.valid('query')), 200));
  openapi(app, readNotificationRoute, async (c) => c.json(await notifications.markNotificationRead(deps, c.get('caller'), c.req.valid('param').id), 200));
}
