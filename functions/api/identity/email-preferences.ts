import type { Hono, MiddlewareHandler } from 'hono';
import type { MailStore } from '../../../shared/ports';
import { DEFAULT_EMAIL_PREFERENCES, EmailPreferencesSchema, type EmailPreferences } from '../../../shared/schemas/email-preferences';
import type { Clock } from '../../../shared/ports';
import type { AppEnv } from '../http/env';
import { bearer, defineRoute, errorResponses, jsonBody, jsonResponse, openapi } from '../http/openapi';

const tags = ['identity'];

export const getEmailPreferencesRoute = defineRoute({
  method: 'get', path: '/v1/me/email-preferences', tags, security: bearer,
  summary: 'How the caller is emailed, per category: immediately, in a daily digest, or off (defaults until they choose)',
  responses: { 200: jsonResponse(EmailPreferencesSchema, 'The caller\'s email preferences'), 401: errorResponses[401], 403: errorResponses[403] },
});

export const putEmailPreferencesRoute = defineRoute({
  method: 'put', path: '/v1/me/email-preferences', tags, security: bearer,
  summary: 'Set how the caller is emailed per category. 400 when `obligations` is `off`: obligations (and security notices) are always emailed',
  request: { body: jsonBody(EmailPreferencesSchema) },
  responses: { 200: jsonResponse(EmailPreferencesSchema, 'The stored preferences'), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
});

/** What the preference routes need. */
export interface EmailPreferenceDeps {
  readonly mail: Pick<MailStore, 'preferences' | 'savePreferences'>;
  readonly clock: Clock;
}

/** The caller's preferences, or the defaults when they never chose. */
export async function emailPreferences(deps: EmailPreferenceDeps, userId: string): Promise<EmailPreferences> {
  return (await deps.mail.preferences(userId)) ?? DEFAULT_EMAIL_PREFERENCES;
}

/** Stores the caller's choice (already validated: obligations are never `off`). */
export async function setEmailPreferences(deps: EmailPreferenceDeps, userId: string, preferences: EmailPreferences): Promise<EmailPreferences> {
  await deps.mail.savePreferences(userId, preferences, deps.clock.now().toISOString());
  return preferences;
}

/** `GET/PUT /v1/me/email-preferences`: every signed-in user, for themselves only. */
export function registerEmailPreferenceRoutes(app: Hono<AppEnv>, deps: EmailPreferenceDeps, auth: MiddlewareHandler<AppEnv>): void {
  app.use('/v1/me/email-preferences', auth);
  openapi(app, getEmailPreferencesRoute, async (c) => c.json(await emailPreferences(deps, c.get('caller').userId), 200));
  openapi(app, putEmailPreferencesRoute, async (c) => c.json(await setEmailPreferences(deps, c.get('caller').userId, c.req.valid('json')), 200));
}
