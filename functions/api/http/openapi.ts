import type { z } from 'zod';
import { ErrorResponseSchema } from '../../../shared/schemas/common';

/** Small builders so route definitions read as the contract, not as OpenAPI plumbing. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

const error = (description: string) => jsonResponse(ErrorResponseSchema, description);

export const errorResponses = {
  400: error('Invalid input; `details.field` names the field'),
  401: error('No token, or a token that failed verification'),
  403: error('Known caller without the right'),
  404: error('Unknown, or not visible to the caller'),
  409: error('State conflict or a lost race'),
  412: error('Stale If-Match revision'),
  429: error('Throttled'),
} as const;

export const bearer = [{ bearerAuth: [] }];
