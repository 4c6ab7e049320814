import * as z from './zod';
import { PROPOSAL_STATES } from '../proposal-state';
import { IsoDateSchema } from './common';
import { LIMITS, maxJsonBytes } from './limits';

/** The fixed taxonomy of purposes a proposal may serve. */
export const PURPOSES = [
  'public-health',
  'climate-environment',
  'disaster-risk-response',
  'poverty-social-protection',
  'mobility-transport',
  'economic-policy-statistics',
  'education',
  'agriculture-food-security',
  'urban-planning',
  'humanitarian-response',
  'other',
] as const;
export const PURPOSE_LABELS: Record<(typeof PURPOSES)[number], string> = {
  'public-health': 'Public health',
  'climate-environment': 'Climate and environment',
  'disaster-risk-response': 'Disaster risk and response',
  'poverty-social-protection': 'Poverty and social protection',
  'mobility-transport': 'Mobility and transport',
  'economic-policy-statistics': 'Economic policy and statistics',
  education: 'Education',
  'agriculture-food-security': 'Agriculture and food security',
  'urban-planning': 'Urban planning',
  'humanitarian-response': 'Humanitarian response',
  other: 'Other (state the reason)',
};

export const PurposeSchema = z.lazy(() => z.strictObject({ category: z.enum(PURPOSES), otherReason: z.optional(z.string().check(z.trim(), z.maxLength(500))) }).check(z.refine((p) => p.category !== 'other' || (p.otherReason?.length ?? 0) >= 10, {
  message: 'Say why none of the listed purposes fits (at least 10 characters)',
  path: ['otherReason'],
})));

/** Data minimisation: every requested dataset needs at least a sentence of justification. */
export const RequestedDatasetSchema = z.lazy(() => z.strictObject({
  datasetId: z.uuid(),
  justification: z.string().check(z.trim(), z.minLength(20, 'Explain in at least one sentence why this dataset is needed'), z.maxLength(2000)),
}));

export const ConfirmationsSchema = z.lazy(() => z.strictObject({
  noReidentification: z.boolean(),
  noOnwardSharing: z.boolean(),
  deletionAtEnd: z.boolean(),
}));

const text = (min: number, max: number) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

/** Every field a proposal has. Drafts may leave any of them out; submission needs them all. */
const proposalFields = () => z.strictObject({
  title: text(5, 200),
  purpose: PurposeSchema,
  problem: text(20, 5000),
  methods: text(20, 5000),
  datasets: z.array(RequestedDatasetSchema).check(z.minLength(1), z.maxLength(20)),
  startDate: IsoDateSchema,
  endDate: IsoDateSchema,
  /** Users of the proposing organisation who will access the data. */
  team: z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.minLength(1), z.maxLength(50)),
  expectedOutputs: text(10, 5000),
  publicBenefit: text(10, 5000),
  impactIndicators: z.array(text(3, 300)).check(z.minLength(1), z.maxLength(20)),
  confirmations: ConfirmationsSchema,
  listInPublicRegister: z.boolean(),
});
export const ProposalFieldsSchema = z.lazy(proposalFields);
export type ProposalFields = z.infer<typeof ProposalFieldsSchema>;

/** A draft: a title, and whatever else is ready. */
export const ProposalDraftSchema = z.lazy(() => z.required(z.partial(proposalFields()), { title: true }).check(maxJsonBytes(LIMITS.proposalBytes, 'a proposal')));
export type ProposalDraft = z.infer<typeof ProposalDraftSchema>;

/** At most `LIMITS.proposalBytes` (48 KiB) as JSON; an edit's result is checked too (proposal service). */
export const UpdateProposalRequestSchema = z.lazy(() => z.partial(proposalFields()).check(maxJsonBytes(LIMITS.proposalBytes, 'a proposal')));

export const WithdrawRequestSchema = z.lazy(() => z.strictObject({ reason: z.optional(z.string().check(z.trim(), z.maxLength(2000))) }));

/**
 * What submission requires beyond the field rules: dates in order, each confirmation given,
 * no dataset twice. Returns the missing or wrong fields, empty when complete.
 */
export function missingForSubmission(draft: Partial<ProposalFields>): { field: string; message: string }[] {
  const parsed = ProposalFieldsSchema.safeParse(draft);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ field: i.path.join('.') || 'body', message: i.message }));
  if (draft.startDate && draft.endDate && draft.endDate <= draft.startDate) {
    problems.push({ field: 'endDate', message: 'The end date must be after the start date' });
  }
  for (const key of ['noReidentification', 'noOnwardSharing', 'deletionAtEnd'] as const) {
    if (draft.confirmations && draft.confirmations[key] !== true) {
      problems.push({ field: `confirmations.${key}`, message: 'This confirmation is required' });
    }
  }
  const ids = (draft.datasets ?? []).map((d) => d.datasetId);
  if (new Set(ids).size !== ids.length) problems.push({ field: 'datasets', message: 'Each dataset may be requested once' });
  return problems;
}

export const REVIEW_DECISIONS = [
  'approve', 'reject', 'request_changes', 'consent', 'decline', 'comment',
  // A consortium admin, about a pending consent: give the provider more time (any time), or once its
  // response window has closed, drop the dataset or record the provider's answer with a reason.
  'extend_window', 'drop_dataset', 'consent_for_provider', 'decline_for_provider',
  // A reviewer (an admin, or a provider asked for data) asks the authors; the authors answer it.
  'question', 'answer',
] as const;

/** The admins' decisions about a provider's pending consent. */
export const CONSENT_ESCALATIONS = ['extend_window', 'drop_dataset', 'consent_for_provider', 'decline_for_provider'] as const;

export const ReviewRequestSchema = z.lazy(() => z.strictObject({
  decision: z.enum(REVIEW_DECISIONS),
  /** Required to reject, request changes, decline and comment. */
  text: z.optional(z.string().check(z.trim(), z.maxLength(5000))),
  /** Conditions of an approval (on every grant) or of a provider's consent (on its datasets' grants), each a sentence. */
  conditions: z.optional(z.array(text(5, 1000)).check(z.maxLength(20))),
  /** For consent and decline: the provider's datasets this answer covers (default: all of theirs in the proposal). The admins' consent decisions name theirs. */
  datasetIds: z.optional(z.array(z.uuid()).check(z.maxLength(20))),
  /** For `extend_window`: how many more days the provider has. */
  days: z.optional(z.int().check(z.minimum(1), z.maximum(90))),
  /** For `answer`: the question answered (its timeline entry's `details.questionId`). */
  questionId: z.optional(z.uuid()),
}).check(maxJsonBytes(LIMITS.reviewBytes, 'a review'), z.refine((r) => !['reject', 'request_changes', 'decline', 'comment', 'drop_dataset', 'consent_for_provider', 'decline_for_provider', 'question', 'answer'].includes(r.decision) || (r.text?.length ?? 0) >= 5, {
  message: 'Say why (at least 5 characters)',
  path: ['text'],
}), z.refine((r) => r.decision === 'approve' || r.decision === 'consent' || r.conditions === undefined, {
  message: 'Only an approval or a consent carries conditions',
  path: ['conditions'],
}), z.refine((r) => (r.decision === 'answer') === (r.questionId !== undefined), {
  message: 'An answer names the question it answers, and only an answer does',
  path: ['questionId'],
}), z.refine((r) => (r.decision === 'extend_window') === (r.days !== undefined), {
  message: 'An extension says by how many days, and only an extension does',
  path: ['days'],
}), z.refine((r) => !(CONSENT_ESCALATIONS as readonly string[]).includes(r.decision) || (r.datasetIds?.length ?? 0) > 0, {
  message: 'Name the datasets whose consent this is about',
  path: ['datasetIds'],
})));
export type ReviewRequest = z.infer<typeof ReviewRequestSchema>;

export const DatasetSnapshotSchema = z.lazy(() => z.object({
  datasetId: z.string(),
  providerOrgId: z.string(),
  providerName: z.string(),
  title: z.string(),
  metadataVersion: z.int(),
  publishedVersion: z.nullable(z.int()),
  consentRequired: z.boolean(),
  maxGrantDays: z.int(),
}));

export const ConsentSchema = z.lazy(() => z.object({
  datasetId: z.string(),
  providerOrgId: z.string(),
  /** `dropped`: a consortium admin took the dataset out after the provider's window closed unanswered. */
  state: z.enum(['pending', 'consented', 'declined', 'not_required', 'dropped']),
  by: z.nullable(z.string()),
  at: z.nullable(z.string()),
  reason: z.nullable(z.string()),
  /** An extended deadline; absent: submission plus governance's `providerResponseDays`. */
  respondBy: z.optional(z.nullable(z.string())),
  /** The reminder days already sent (days before the deadline). */
  remindersSent: z.optional(z.array(z.int())),
  /** When the admins were told the window closed unanswered. */
  escalatedAt: z.optional(z.nullable(z.string())),
  /** True when a consortium admin recorded this answer for the provider, after its window closed. */
  recordedByAdmin: z.optional(z.boolean()),
  /** The provider's conditions of consent: they join the conditions of this dataset's grant. */
  conditions: z.optional(z.array(z.string())),
}));
export type Consent = z.infer<typeof ConsentSchema>;

export const ProposalSchema = z.lazy(() => z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  state: z.enum(PROPOSAL_STATES),
  revision: z.int(),
  fields: z.partial(proposalFields()),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.nullable(z.string()),
  decidedAt: z.nullable(z.string()),
  /** Frozen at submission: the agreement version and each dataset's metadata. */
  agreementVersion: z.nullable(z.int()),
  snapshots: z.array(DatasetSnapshotSchema),
  consents: z.array(ConsentSchema),
  adminApprovals: z.array(z.object({ by: z.string(), at: z.string(), conditions: z.array(z.string()) })),
  conditions: z.array(z.string()),
  /** Datasets whose metadata changed since submission (reviewers are told). */
  changedSinceSubmission: z.array(z.string()),
  overdue: z.boolean(),
}));
export type Proposal = z.infer<typeof ProposalSchema>;

export const ProposalQuerySchema = z.lazy(() => z.strictObject({
  limit: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 20),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  state: z.optional(z.enum(PROPOSAL_STATES)),
  /**
   * `mine`: the caller's organisation's proposals (members' default). `review`: for admins every
   * submitted proposal, for providers those asking for their datasets (their default).
   * `queue`: admins' review queue, awaiting a decision, oldest submission first.
   */
  view: z.optional(z.enum(['mine', 'review', 'queue'])),
}));

export const TimelineEntrySchema = z.lazy(() => z.object({
  at: z.string(),
  by: z.string(),
  orgName: z.string(),
  kind: z.string(),
  text: z.nullable(z.string()),
  details: z.optional(z.record(z.string(), z.unknown())),
}));
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
