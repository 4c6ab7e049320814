import * as z from './zod';
import { IsoDateSchema, WebUrlSchema } from './common';
import { LIMITS, maxJsonBytes } from './limits';

/**
 * A grant's stored states. `expired` is also what an `active` grant reads as once its end has
 * passed, whether or not the lifecycle job has written it yet (see shared/grant-state.ts).
 */
export const GRANT_STATES = ['active', 'expired', 'revoked', 'closed'] as const;
export type GrantState = (typeof GRANT_STATES)[number];

export const OBLIGATION_KINDS = ['deletion_attestation', 'outcome_report'] as const;
export type ObligationKind = (typeof OBLIGATION_KINDS)[number];

export const ObligationSchema = z.lazy(() => z.object({
  id: z.string(),
  kind: z.enum(OBLIGATION_KINDS),
  dueAt: z.string(),
  state: z.enum(['open', 'fulfilled']),
  fulfilledAt: z.nullable(z.string()),
  /** Computed on read: open past its deadline. */
  overdue: z.boolean(),
}));
export type Obligation = z.infer<typeof ObligationSchema>;

/** A file a grant covers, as the grantee sees it: never where it is stored. */
export const GrantFileSchema = z.lazy(() => z.object({
  id: z.string(),
  name: z.string(),
  version: z.int(),
  size: z.int(),
  sha256: z.nullable(z.string()),
}));
export type GrantFile = z.infer<typeof GrantFileSchema>;

export const RenewalSchema = z.lazy(() => z.object({
  id: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  fromEndDate: z.string(),
  endDate: z.string(),
  reason: z.string(),
  state: z.enum(['pending', 'approved', 'refused']),
  /** The dataset's provider consents when its dataset requires consent; null when not required. */
  providerConsent: z.nullable(z.enum(['pending', 'consented', 'declined'])),
  adminDecision: z.enum(['pending', 'approved', 'refused']),
  decidedAt: z.nullable(z.string()),
  decidedBy: z.nullable(z.string()),
  decisionText: z.nullable(z.string()),
}));
export type Renewal = z.infer<typeof RenewalSchema>;

const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

/** Who deleted what, when, how, and which copies. */
const deletionAttestation = () => z.strictObject({
  deletedBy: text(1, 200),
  deletedAt: z.iso.datetime({ offset: true }),
  method: text(5, 2000),
  /** Every copy that existed: where it was and that it is gone. */
  copies: z.array(z.strictObject({ location: text(2, 500), description: z.optional(text(2, 1000)) })).check(z.minLength(1), z.maxLength(100)),
  /** Which files (names) were deleted; default every file of the grant. */
  files: z.optional(z.array(text(1, 200)).check(z.maxLength(500))),
  statement: text(10, 5000),
});
export const DeletionAttestationSchema = z.lazy(() => deletionAttestation().check(maxJsonBytes(LIMITS.closureDocumentBytes, 'an attestation')));
export type DeletionAttestation = z.infer<typeof DeletionAttestationSchema>;

const outcomeReport = () => z.strictObject({
  outputs: z.array(z.strictObject({ title: text(2, 300), url: z.optional(WebUrlSchema), description: z.optional(text(2, 2000)) })).check(z.minLength(1), z.maxLength(50)),
  /** The proposal's impact indicators, each with what was measured. */
  indicators: z.array(z.strictObject({ indicator: text(2, 300), result: text(1, 2000) })).check(z.minLength(1), z.maxLength(20)),
  /** Shown in the public register when the proposal listed itself there. */
  publicSummary: text(20, 5000),
});
export const OutcomeReportSchema = z.lazy(() => outcomeReport().check(maxJsonBytes(LIMITS.closureDocumentBytes, 'an outcome report')));
export type OutcomeReport = z.infer<typeof OutcomeReportSchema>;

export const ClosureRequestSchema = z.lazy(() => z.strictObject({ attestation: z.optional(DeletionAttestationSchema), outcomeReport: z.optional(OutcomeReportSchema) }).check(z.refine((c) => c.attestation !== undefined || c.outcomeReport !== undefined, {
  message: 'Send a deletion attestation, an outcome report, or both',
  path: ['attestation'],
})));
export type ClosureRequest = z.infer<typeof ClosureRequestSchema>;

const submitted = () => ({ submittedBy: z.string(), submittedAt: z.string() });
export const SubmittedAttestationSchema = z.lazy(() => z.extend(deletionAttestation(), submitted()));
export const SubmittedOutcomeReportSchema = z.lazy(() => z.extend(outcomeReport(), submitted()));

export const GrantSchema = z.lazy(() => z.object({
  id: z.string(),
  proposalId: z.string(),
  proposalTitle: z.string(),
  granteeOrgId: z.string(),
  granteeOrgName: z.string(),
  /** Users of the grantee organisation who may download. */
  team: z.array(z.string()),
  datasetId: z.string(),
  datasetTitle: z.string(),
  providerOrgId: z.string(),
  providerName: z.string(),
  /** The dataset version(s) published when the grant was issued. */
  versions: z.array(z.int()),
  startDate: IsoDateSchema,
  endDate: IsoDateSchema,
  conditions: z.array(z.string()),
  /** The effective state at the time of the read. */
  state: z.enum(GRANT_STATES),
  revision: z.int(),
  issuedAt: z.string(),
  revokedAt: z.nullable(z.string()),
  revokedBy: z.nullable(z.string()),
  revokedReason: z.nullable(z.string()),
  endedAt: z.nullable(z.string()),
  closedAt: z.nullable(z.string()),
  obligations: z.array(ObligationSchema),
  renewals: z.array(RenewalSchema),
  /** The grantee's closure documents; the provider reads them for its data. */
  attestation: z.nullable(SubmittedAttestationSchema),
  outcomeReport: z.nullable(SubmittedOutcomeReportSchema),
}));
export type Grant = z.infer<typeof GrantSchema>;

export const GrantQuerySchema = z.lazy(() => z.strictObject({
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  /** The effective state (an active grant past its end is `expired`). */
  state: z.optional(z.enum(GRANT_STATES)),
  /**
   * `held`: grants to the caller's organisation (members' default). `provided`: grants to the
   * caller's datasets (providers' default). `all`: every grant (consortium admins' default).
   */
  view: z.optional(z.enum(['held', 'provided', 'all'])),
}));
export type GrantQuery = z.infer<typeof GrantQuerySchema>;

export const GrantFilesSchema = z.lazy(() => z.object({ items: z.array(GrantFileSchema) }));

export const DownloadRequestSchema = z.lazy(() => z.strictObject({ fileId: z.uuid() }));

export const DownloadResponseSchema = z.lazy(() => z.object({
  fileId: z.string(),
  /** The name the browser saves the file under (Content-Disposition: attachment). */
  fileName: z.string(),
  size: z.int(),
  sha256: z.nullable(z.string()),
  url: z.string(),
  expiresAt: z.string(),
}));
export type DownloadResponse = z.infer<typeof DownloadResponseSchema>;

export const RevokeRequestSchema = z.lazy(() => z.strictObject({ reason: z.string().check(z.trim(), z.minLength(10), z.maxLength(512)) }));

export const RenewalRequestSchema = z.lazy(() => z.strictObject({ endDate: IsoDateSchema, reason: text(10, 2000) }));
export type RenewalRequest = z.infer<typeof RenewalRequestSchema>;

export const RenewalReviewRequestSchema = z.lazy(() => z.strictObject({
  decision: z.enum(['approve', 'refuse', 'consent', 'decline']),
  text: z.optional(z.string().check(z.trim(), z.maxLength(2000))),
}).check(z.refine((r) => !['refuse', 'decline'].includes(r.decision) || (r.text?.length ?? 0) >= 5, {
  message: 'Say why (at least 5 characters)',
  path: ['text'],
})));
export type RenewalReviewRequest = z.infer<typeof RenewalReviewRequestSchema>;

/** The grant's project team, replaced whole: members of the grantee organisation, by email or user id. */
export const SetTeamRequestSchema = z.lazy(() => z.strictObject({
  team: z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(254))).check(z.minLength(1), z.maxLength(50)),
}));
export type SetTeamRequest = z.infer<typeof SetTeamRequestSchema>;
