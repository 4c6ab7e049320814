import * as z from 'zod';
import { ENTITY_TYPES } from '../audit-chain';

export const AuditEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({ userId: z.string().nullable(), email: z.string(), orgId: z.string().nullable(), orgName: z.string() }),
  action: z.string(),
  entity: z.object({ type: z.enum(ENTITY_TYPES), id: z.string() }),
  orgId: z.string().nullable(),
  providerOrgIds: z.array(z.string()),
  details: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export const AuditQuerySchema = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(2048).optional(),
    entityType: z.enum(ENTITY_TYPES).optional(),
    entityId: z.string().min(1).max(100).optional(),
    /** Events at or after this time. */
    from: z.iso.datetime({ offset: true }).optional(),
    /** Events before this time. */
    to: z.iso.datetime({ offset: true }).optional(),
    /**
     * For an organisation that is not the secretariat: `organization` (default for members), the
     * events of its own business; `provided` (default for providers), the events on its datasets.
     */
    view: z.enum(['organization', 'provided']).optional(),
  })
  .refine((q) => (q.entityType === undefined) === (q.entityId === undefined), {
    message: 'entityType and entityId go together',
    path: ['entityId'],
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

const BrokenLinkSchema = z.object({
  seq: z.number().int(),
  problem: z.enum(['missing', 'altered', 'relinked', 'head_mismatch']),
  message: z.string(),
});

export const ChainVerificationSchema = z.object({
  intact: z.boolean(),
  checked: z.number().int(),
  headSeq: z.number().int(),
  firstBroken: BrokenLinkSchema.nullable(),
  broken: z.array(BrokenLinkSchema),
  verifiedAt: z.string(),
});
