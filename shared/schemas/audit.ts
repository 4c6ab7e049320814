import * as z from './zod';
import { ENTITY_TYPES } from '../audit-chain';
import { InstantSchema } from './common';

export const AuditEventSchema = z.lazy(() => z.object({
  seq: z.int(),
  at: z.string(),
  actor: z.object({ userId: z.nullable(z.string()), email: z.string(), orgId: z.nullable(z.string()), orgName: z.string() }),
  action: z.string(),
  entity: z.object({ type: z.enum(ENTITY_TYPES), id: z.string() }),
  orgId: z.nullable(z.string()),
  providerOrgIds: z.array(z.string()),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
}));

export const AuditQuerySchema = z.lazy(() => z.strictObject({
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 50),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  entityType: z.optional(z.enum(ENTITY_TYPES)),
  entityId: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  /** Events at or after this time (any offset; compared in UTC). */
  from: z.optional(InstantSchema),
  /** Events before this time (any offset; compared in UTC). */
  to: z.optional(InstantSchema),
  /**
   * For an organisation that is not the secretariat: `organization` (default for members), the
   * events of its own business; `provided` (default for providers), the events on its datasets.
   */
  view: z.optional(z.enum(['organization', 'provided'])),
}).check(z.refine((q) => (q.entityType === undefined) === (q.entityId === undefined), {
  message: 'entityType and entityId go together',
  path: ['entityId'],
}), z.refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] })));
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

const BrokenLinkSchema = z.lazy(() => z.object({
  seq: z.int(),
  problem: z.enum(['missing', 'altered', 'relinked', 'head_mismatch']),
  message: z.string(),
}));

export const ChainVerificationSchema = z.lazy(() => z.object({
  intact: z.boolean(),
  checked: z.int(),
  headSeq: z.int(),
  firstBroken: z.nullable(BrokenLinkSchema),
  broken: z.array(BrokenLinkSchema),
  verifiedAt: z.string(),
}));
