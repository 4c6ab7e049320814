import * as z from './zod';
import { LIMITS, maxUtf8Bytes } from './limits';

export const PublishAgreementVersionRequestSchema = z.lazy(() => z.strictObject({
  /** The agreement's full text, in Markdown. */
  text: z.string().check(z.minLength(20), z.maxLength(200_000), maxUtf8Bytes(LIMITS.agreementTextBytes)),
  /** Days after publication during which signers of the previous version may keep working. */
  graceDays: z.optional(z.int().check(z.minimum(0), z.maximum(365))),
  /** What changed since the previous version, in a few sentences: every organisation's admins are sent it. */
  summary: z.optional(z.string().check(z.trim(), z.minLength(5), z.maxLength(2000))),
}));
export type PublishAgreementVersionRequest = z.infer<typeof PublishAgreementVersionRequestSchema>;

export const AgreementVersionSchema = z.lazy(() => z.object({
  version: z.int().check(z.minimum(1)),
  text: z.string(),
  /** sha256 of the UTF-8 text, hex. */
  sha256: z.string(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  graceDays: z.int(),
  /** What changed since the previous version (absent for versions published without one). */
  summary: z.optional(z.nullable(z.string())),
}));
export type AgreementVersion = z.infer<typeof AgreementVersionSchema>;

/** Every published version, newest first, without their texts (`GET /v1/agreement/versions/{version}` has each). */
export const AgreementVersionListSchema = z.lazy(() => z.object({
  items: z.array(z.object({ version: z.int(), sha256: z.string(), publishedAt: z.string(), graceDays: z.int(), summary: z.optional(z.nullable(z.string())) })),
}));
export type AgreementVersionList = z.infer<typeof AgreementVersionListSchema>;

/** The signer states what they saw: the version and its hash must be the current ones. */
export const SignAgreementRequestSchema = z.lazy(() => z.strictObject({
  version: z.int().check(z.minimum(1)),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256')),
}));
export type SignAgreementRequest = z.infer<typeof SignAgreementRequestSchema>;

export const SignatureSchema = z.lazy(() => z.object({
  orgId: z.string(),
  orgName: z.string(),
  version: z.int(),
  sha256: z.string(),
  signedAt: z.string(),
  signedBy: z.string(),
}));
export type Signature = z.infer<typeof SignatureSchema>;

export const AGREEMENT_STATES = ['signed', 'grace', 'unsigned', 'outdated', 'no_agreement'] as const;

export const AgreementStatusSchema = z.lazy(() => z.object({
  state: z.enum(AGREEMENT_STATES),
  currentVersion: z.nullable(z.int()),
  signedVersion: z.nullable(z.int()),
  /** While `grace`, the moment the organisation must have signed the current version. */
  graceEndsAt: z.nullable(z.string()),
  /** Whether the organisation may create and publish datasets and submit proposals. */
  mayAct: z.boolean(),
}));
export type AgreementStatus = z.infer<typeof AgreementStatusSchema>;
