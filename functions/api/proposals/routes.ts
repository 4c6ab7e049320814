import type { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import * as z from '../../../shared/schemas/zod';
import type { IdempotencyStore } from '../../../shared/ports';
import { IdSchema, pageOf } from '../../../shared/schemas/common';
import {
  ProposalDraftSchema,
  ProposalQuerySchema,
  ProposalSchema,
  ReviewRequestSchema,
  TimelineEntrySchema,
  UpdateProposalRequestSchema,
  WithdrawRequestSchema,
} from '../../../shared/schemas/proposal';
import type { AppEnv } from '../http/env';
import { idempotent } from '../http/idempotency';
import { etag, revisionFromIfMatch } from '../http/if-match';
import { bearer, defineRoute, errorResponses, jsonBody, jsonResponse, openapi } from '../http/openapi';
import * as proposals from './service';

const tags = ['proposals'];
const Params = z.strictObject({ id: IdSchema });
const { 400: e400, 401: e401, 403: e403, 404: e404, 409: e409, 412: e412 } = errorResponses;

export const listProposalsRoute = defineRoute({
  method: 'get', path: '/v1/proposals', tags, security: bearer,
  summary: 'Proposals the caller may see; filter by state; `view=queue` is the admins\' review queue',
  request: { query: ProposalQuerySchema },
  responses: { 200: jsonResponse(pageOf(ProposalSchema), 'A page of proposals'), 400: e400, 401: e401, 403: e403 },
});

export const createProposalRoute = defineRoute({
  method: 'post', path: '/v1/proposals', tags, security: bearer,
  summary: 'Start a draft proposal (member organisations that signed the agreement)',
  request: { body: jsonBody(ProposalDraftSchema) },
  responses: { 201: jsonResponse(ProposalSchema, 'The draft'), 400: e400, 401: e401, 403: e403 },
});

export const getProposalRoute = defineRoute({
  method: 'get', path: '/v1/proposals/{id}', tags, security: bearer,
  summary: 'A proposal as the caller may see it',
  request: { params: Params },
  responses: { 200: jsonResponse(ProposalSchema, 'The proposal; ETag carries its revision'), 401: e401, 404: e404 },
});

export const updateProposalRoute = defineRoute({
  method: 'patch', path: '/v1/proposals/{id}', tags, security: bearer,
  summary: 'Edit a draft (or a proposal sent back for changes); If-Match required',
  request: { params: Params, headers: z.object({ 'if-match': z.optional(z.string()) }), body: jsonBody(UpdateProposalRequestSchema) },
  responses: { 200: jsonResponse(ProposalSchema, 'The proposal'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409, 412: e412 },
});

export const submitProposalRoute = defineRoute({
  method: 'post', path: '/v1/proposals/{id}/submit', tags, security: bearer,
  summary: 'Submit for review; freezes the agreement version and the datasets\' metadata',
  request: { params: Params },
  responses: { 200: jsonResponse(ProposalSchema, 'The submitted proposal'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const withdrawProposalRoute = defineRoute({
  method: 'post', path: '/v1/proposals/{id}/withdraw', tags, security: bearer,
  summary: 'Withdraw, any time before a decision (its authors)',
  request: { params: Params, body: { required: false, content: { 'application/json': { schema: WithdrawRequestSchema } } } },
  responses: { 200: jsonResponse(ProposalSchema, 'The withdrawn proposal'), 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const reviewProposalRoute = defineRoute({
  method: 'post', path: '/v1/proposals/{id}/reviews', tags, security: bearer,
  summary: 'Admins approve, reject or request changes; providers consent or decline; both comment',
  request: { params: Params, body: jsonBody(ReviewRequestSchema) },
  responses: { 200: jsonResponse(ProposalSchema, 'The proposal after the review'), 400: e400, 401: e401, 403: e403, 404: e404, 409: e409 },
});

export const timelineRoute = defineRoute({
  method: 'get', path: '/v1/proposals/{id}/timeline', tags, security: bearer,
  summary: 'Every decision and comment, in order: who, when, what',
  request: { params: Params },
  responses: { 200: jsonResponse(z.object({ items: z.array(TimelineEntrySchema) }), 'The timeline'), 401: e401, 404: e404 },
});

/** Purpose-bound proposals and their multi-party review. */
export function registerProposalRoutes(
  app: Hono<AppEnv>,
  deps: proposals.ProposalDeps & { readonly idempotency: IdempotencyStore },
  auth: MiddlewareHandler<AppEnv>,
): void {
  app.use('/v1/proposals', auth);
  app.use('/v1/proposals/*', auth);
  const once = idempotent(deps.idempotency, deps.clock);
  app.post('/v1/proposals', once);
  app.post('/v1/proposals/:id/submit', once);

  openapi(app, listProposalsRoute, async (c) => c.json(await proposals.listProposals(deps, c.get('caller'), c.req.valid('query')), 200));
  openapi(app, createProposalRoute, async (c) => {
    const proposal = await proposals.createProposal(deps, c.get('caller'), c.req.valid('json'));
    c.header('ETag', etag(proposal.revision));
    return c.json(proposal, 201);
  });
  openapi(app, getProposalRoute, async (c) => {
    const proposal = await proposals.getProposal(deps, c.get('caller'), c.req.valid('param').id);
    c.header('ETag', etag(proposal.revision));
    return c.json(proposal, 200);
  });
  openapi(app, updateProposalRoute, async (c) => {
    const revision = revisionFromIfMatch(c.req.valid('header')['if-match']);
    const proposal = await proposals.updateProposal(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json'), revision);
    c.header('ETag', etag(proposal.revision));
    return c.json(proposal, 200);
  });
  openapi(app, submitProposalRoute, async (c) => c.json(await proposals.submitProposal(deps, c.get('caller'), c.req.valid('param').id), 200));
  openapi(app, withdrawProposalRoute, async (c) => {
    const body = (c.req.valid('json') as { reason?: string } | undefined) ?? {};
    return c.json(await proposals.withdrawProposal(deps, c.get('caller'), c.req.valid('param').id, body.reason), 200);
  });
  openapi(app, reviewProposalRoute, async (c) =>
    c.json(await proposals.reviewProposal(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  openapi(app, timelineRoute, async (c) => c.json(await proposals.proposalTimeline(deps, c.get('caller'), c.req.valid('param').id), 200));
}
