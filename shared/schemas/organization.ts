import * as z from './zod';
import { ORGANIZATION_KINDS, ROLES } from '../roles';
import { EmailSchema } from './common';

export const OrganizationNameSchema = z.lazy(() => z.string().check(z.trim(), z.minLength(2), z.maxLength(120)));
export const PersonNameSchema = z.lazy(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(120)));

/** Kinds an admitted organisation may have; the secretariat exists once, from the seed. */
export const AdmittableKindSchema = z.lazy(() => z.enum(['provider', 'member']));

export const NewUserSchema = z.lazy(() => z.strictObject({
  email: EmailSchema,
  name: PersonNameSchema,
}));

export const CreateOrganizationRequestSchema = z.lazy(() => z.strictObject({
  name: OrganizationNameSchema,
  kinds: z.array(AdmittableKindSchema).check(z.minLength(1), z.maxLength(2)),
  /** The organisation's first org-admin. */
  firstAdmin: NewUserSchema,
}));
export type CreateOrganizationRequest = z.infer<typeof CreateOrganizationRequestSchema>;

export const AddMemberRequestSchema = z.lazy(() => z.strictObject({
  email: EmailSchema,
  name: PersonNameSchema,
  roles: z.array(z.enum(ROLES)).check(z.minLength(1), z.maxLength(3)),
}));
export type AddMemberRequest = z.infer<typeof AddMemberRequestSchema>;

/** Replaces a member's roles; at least one. */
export const SetRolesRequestSchema = z.lazy(() => z.strictObject({
  roles: z.array(z.enum(ROLES)).check(z.minLength(1), z.maxLength(3)),
}));
export type SetRolesRequest = z.infer<typeof SetRolesRequestSchema>;

/** Why a consortium admin suspends an organisation. */
export const SuspendRequestSchema = z.lazy(() => z.strictObject({
  reason: z.string().check(z.trim(), z.minLength(3), z.maxLength(2000)),
}));
export type SuspendRequest = z.infer<typeof SuspendRequestSchema>;

export const SuspensionSchema = z.lazy(() => z.object({
  reason: z.string(),
  at: z.string(),
  by: z.string(),
  /** Set when the organisation was offboarded: its grants were revoked with the reason. */
  offboardedAt: z.optional(z.string()),
}));
export type Suspension = z.infer<typeof SuspensionSchema>;

export const UserSchema = z.lazy(() => z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  orgId: z.string(),
  roles: z.array(z.enum(ROLES)),
  createdAt: z.string(),
}));
export type User = z.infer<typeof UserSchema>;

export const AgreementSignatureSummarySchema = z.lazy(() => z.object({
  version: z.int(),
  hash: z.string(),
  signedAt: z.string(),
  signedBy: z.string(),
}));

const organization = () => z.object({
  id: z.string(),
  name: z.string(),
  kinds: z.array(z.enum(ORGANIZATION_KINDS)),
  createdAt: z.string(),
  latestSignature: z.nullable(AgreementSignatureSummarySchema),
  /** Set while a consortium admin has suspended the organisation: its users are refused on every route. */
  suspension: z.optional(z.nullable(SuspensionSchema)),
});
export const OrganizationSchema = z.lazy(organization);
export type Organization = z.infer<typeof OrganizationSchema>;

export const OrganizationDetailSchema = z.lazy(() => z.extend(organization(), {
  members: z.array(UserSchema),
}));
export type OrganizationDetail = z.infer<typeof OrganizationDetailSchema>;

/** An offboarding: the organisation, suspended, and how many running grants were revoked. */
export const OffboardingResponseSchema = z.lazy(() => z.object({
  organization: OrganizationSchema,
  revokedGrants: z.int(),
}));
export type OffboardingResponse = z.infer<typeof OffboardingResponseSchema>;
