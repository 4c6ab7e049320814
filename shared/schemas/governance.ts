import * as z from 'zod';

/** Consortium-wide policy, set by consortium admins. */
export const GovernanceSettingsSchema = z.strictObject({
  adminApprovalsRequired: z.number().int().min(1).max(5),
  providerResponseDays: z.number().int().min(1).max(180),
  maxGrantDays: z.number().int().min(1).max(1825),
  closureDeadlineDays: z.number().int().min(1).max(365),
  agreementGraceDays: z.number().int().min(0).max(365),
});
export type GovernanceSettings = z.infer<typeof GovernanceSettingsSchema>;

export const DEFAULT_GOVERNANCE: GovernanceSettings = {
  adminApprovalsRequired: 1,
  providerResponseDays: 30,
  maxGrantDays: 365,
  closureDeadlineDays: 30,
  agreementGraceDays: 30,
};

export const GovernanceResponseSchema = GovernanceSettingsSchema.extend({
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type GovernanceResponse = z.infer<typeof GovernanceResponseSchema>;
