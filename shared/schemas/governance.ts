import * as z from './zod';

/** Consortium-wide policy, set by consortium admins. */
const governanceSettings = () => z.strictObject({
  adminApprovalsRequired: z.int().check(z.minimum(1), z.maximum(5)),
  providerResponseDays: z.int().check(z.minimum(1), z.maximum(180)),
  maxGrantDays: z.int().check(z.minimum(1), z.maximum(1825)),
  closureDeadlineDays: z.int().check(z.minimum(1), z.maximum(365)),
  agreementGraceDays: z.int().check(z.minimum(0), z.maximum(365)),
  /** Days before a provider's response window closes on which it is reminded of a pending consent. */
  providerReminderDays: z.optional(z.array(z.int().check(z.minimum(1), z.maximum(90))).check(z.maxLength(5))),
});
export const GovernanceSettingsSchema = z.lazy(governanceSettings);
export type GovernanceSettings = z.infer<typeof GovernanceSettingsSchema>;

export const DEFAULT_GOVERNANCE: GovernanceSettings = {
  adminApprovalsRequired: 1,
  providerResponseDays: 30,
  maxGrantDays: 365,
  closureDeadlineDays: 30,
  agreementGraceDays: 30,
  providerReminderDays: [7, 2],
};

export const GovernanceResponseSchema = z.lazy(() => z.extend(governanceSettings(), {
  updatedAt: z.nullable(z.string()),
  updatedBy: z.nullable(z.string()),
}));
export type GovernanceResponse = z.infer<typeof GovernanceResponseSchema>;
