import type { Hono } from 'hono';
import * as z from '../../../shared/schemas/zod';
import { IdSchema, PageQuerySchema, pageOf } from '../../../shared/schemas/common';
import { GovernanceResponseSchema, GovernanceSettingsSchema } from '../../../shared/schemas/governance';
import { MeResponseSchema } from '../../../shared/schemas/identity';
import {
  AddMemberRequestSchema,
  CreateOrganizationRequestSchema,
  OrganizationDetailSchema,
  OrganizationSchema,
  OffboardingResponseSchema,
  SetRolesRequestSchema,
  SuspendRequestSchema,
  UserSchema,
} from '../../../shared/schemas/organization';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env';
import { idempotent } from '../http/idempotency';
import type { IdempotencyStore } from '../../../shared/ports';
import { bearer, defineRoute, errorResponses, jsonBody, jsonResponse, openapi } from '../http/openapi';
import type { GrantDeps } from '../grants/service';
import * as identity from './service';
import { registerEmailPreferenceRoutes, type EmailPreferenceDeps } from './email-preferences';

export { getEmailPreferencesRoute, putEmailPreferencesRoute } from './email-preferences';

const OrgParams = z.strictObject({ orgId: IdSchema });
const MemberParams = z.strictObject({ orgId: IdSchema, userId: IdSchema });
const tags = ['identity'];

export const meRoute = defineRoute({
  method: 'get', path: '/v1/me', tags, security: bearer,
  summary: 'Who the caller is: user, organisation, roles and agreement standing',
  responses: { 200: jsonResponse(MeResponseSchema, 'The caller'), 401: errorResponses[401], 403: errorResponses[403] },
});

export const listOrganizationsRoute = defineRoute({
  method: 'get', path: '/v1/organizations', tags, security: bearer,
  summary: 'Organisations (admins: all; others: their own)',
  request: { query: PageQuerySchema },
  responses: { 200: jsonResponse(pageOf(OrganizationSchema), 'A page of organisations'), 400: errorResponses[400], 401: errorResponses[401] },
});

export const admitOrganizationRoute = defineRoute({
  method: 'post', path: '/v1/organizations', tags, security: bearer,
  summary: 'Admit an organisation with its first org-admin (consortium admins)',
  request: { body: jsonBody(CreateOrganizationRequestSchema) },
  responses: {
    201: jsonResponse(OrganizationDetailSchema, 'The organisation'),
    400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 409: errorResponses[409],
  },
});

export const getOrganizationRoute = defineRoute({
  method: 'get', path: '/v1/organizations/{orgId}', tags, security: bearer,
  summary: 'An organisation and its members (admins, or its own users)',
  request: { params: OrgParams },
  responses: { 200: jsonResponse(OrganizationDetailSchema, 'The organisation'), 401: errorResponses[401], 404: errorResponses[404] },
});

export const addMemberRoute = defineRoute({
  method: 'post', path: '/v1/organizations/{orgId}/members', tags, security: bearer,
  summary: 'Add a user to your own organisation (org-admins)',
  request: { params: OrgParams, body: jsonBody(AddMemberRequestSchema) },
  responses: {
    201: jsonResponse(UserSchema, 'The new member'),
    400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409],
  },
});

export const removeMemberRoute = defineRoute({
  method: 'delete', path: '/v1/organizations/{orgId}/members/{userId}', tags, security: bearer,
  summary: 'Remove a member (org-admins of the organisation, consortium admins); their next request is refused. 409 `last_org_admin` for the last org-admin',
  request: { params: MemberParams },
  responses: {
    200: jsonResponse(OrganizationDetailSchema, 'The organisation without the member'),
    401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409],
  },
});

export const setMemberRolesRoute = defineRoute({
  method: 'patch', path: '/v1/organizations/{orgId}/members/{userId}', tags, security: bearer,
  summary: 'Replace a member\'s roles (org-admins of the organisation, consortium admins). 403 `self_escalation`; 409 `last_org_admin`',
  request: { params: MemberParams, body: jsonBody(SetRolesRequestSchema) },
  responses: {
    200: jsonResponse(UserSchema, 'The member with the new roles'),
    400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409],
  },
});

export const suspendOrganizationRoute = defineRoute({
  method: 'post', path: '/v1/organizations/{orgId}/suspension', tags, security: bearer,
  summary: 'Suspend an organisation (consortium admins): its users get 403 `organization_suspended` on every route',
  request: { params: OrgParams, body: jsonBody(SuspendRequestSchema) },
  responses: {
    200: jsonResponse(OrganizationSchema, 'The suspended organisation'),
    400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409],
  },
});

export const reinstateOrganizationRoute = defineRoute({
  method: 'delete', path: '/v1/organizations/{orgId}/suspension', tags, security: bearer,
  summary: 'Reinstate a suspended organisation (consortium admins)',
  request: { params: OrgParams },
  responses: {
    200: jsonResponse(OrganizationSchema, 'The reinstated organisation'),
    401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409],
  },
});

export const offboardOrganizationRoute = defineRoute({
  method: 'post', path: '/v1/organizations/{orgId}/offboarding', tags, security: bearer,
  summary: 'Offboard an organisation (consortium admins): suspends it and revokes every running grant it holds or provides, with the reason; the grantees\' closure obligations open',
  request: { params: OrgParams, body: jsonBody(SuspendRequestSchema) },
  responses: {
    200: jsonResponse(OffboardingResponseSchema, 'The suspended organisation and how many grants were revoked'),
    400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409],
  },
});

export const getGovernanceRoute = defineRoute({
  method: 'get', path: '/v1/governance', tags, security: bearer,
  summary: 'Consortium governance settings',
  responses: { 200: jsonResponse(GovernanceResponseSchema, 'The settings'), 401: errorResponses[401] },
});

export const putGovernanceRoute = defineRoute({
  method: 'put', path: '/v1/governance', tags, security: bearer,
  summary: 'Set governance settings (consortium admins)',
  request: { body: jsonBody(GovernanceSettingsSchema) },
  responses: { 200: jsonResponse(GovernanceResponseSchema, 'The settings'), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
});

/** Identity, organisations and governance. */
export function registerIdentityRoutes(
  app: Hono<AppEnv>,
  deps: identity.IdentityDeps & EmailPreferenceDeps & Omit<GrantDeps, 'objects'> & { readonly idempotency: IdempotencyStore },
  auth: MiddlewareHandler<AppEnv>,
): void {
  for (const path of ['/v1/me', '/v1/organizations', '/v1/organizations/*', '/v1/governance']) app.use(path, auth);
  app.post('/v1/organizations', idempotent(deps.idempotency, deps.clock));
  app.post('/v1/organizations/:orgId/members', idempotent(deps.idempotency, deps.clock));

  openapi(app, meRoute, async (c) => c.json(await identity.me(deps, c.get('caller')), 200));
  registerEmailPreferenceRoutes(app, deps, auth);
  openapi(app, listOrganizationsRoute, async (c) =>
    c.json(await identity.listOrganizations(deps, c.get('caller'), c.req.valid('query')), 200),
  );
  openapi(app, admitOrganizationRoute, async (c) =>
    c.json(await identity.admitOrganization(deps, c.get('caller'), c.req.valid('json')), 201),
  );
  openapi(app, getOrganizationRoute, async (c) =>
    c.json(await identity.getOrganization(deps, c.get('caller'), c.req.valid('param').orgId), 200),
  );
  openapi(app, addMemberRoute, async (c) =>
    c.json(await identity.addMember(deps, c.get('caller'), c.req.valid('param').orgId, c.req.valid('json')), 201),
  );
  openapi(app, removeMemberRoute, async (c) => {
    const { orgId, userId } = c.req.valid('param');
    return c.json(await identity.removeMember(deps, c.get('caller'), orgId, userId), 200);
  });
  openapi(app, setMemberRolesRoute, async (c) => {
    const { orgId, userId } = c.req.valid('param');
    return c.json(await identity.setMemberRoles(deps, c.get('caller'), orgId, userId, c.req.valid('json')), 200);
  });
  openapi(app, suspendOrganizationRoute, async (c) =>
    c.json(await identity.suspendOrganization(deps, c.get('caller'), c.req.valid('param').orgId, c.req.valid('json')), 200),
  );
  openapi(app, reinstateOrganizationRoute, async (c) =>
    c.json(await identity.reinstateOrganization(deps, c.get('caller'), c.req.valid('param').orgId), 200),
  );
  openapi(app, offboardOrganizationRoute, async (c) =>
    c.json(await identity.offboardOrganization(deps, c.get('caller'), c.req.valid('param').orgId, c.req.valid('json')), 200),
  );
  openapi(app, getGovernanceRoute, async (c) => c.json(await identity.getGovernance(deps), 200));
  openapi(app, putGovernanceRoute, async (c) =>
    c.json(await identity.putGovernance(deps, c.get('caller'), c.req.valid('json')), 200),
  );
}
