import * as z from './zod';
import { ORGANIZATION_KINDS, ROLES } from '../roles';
import { AgreementStatusSchema } from './agreement';

export const MeResponseSchema = z.lazy(() => z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  organization: z.object({ id: z.string(), name: z.string(), kinds: z.array(z.enum(ORGANIZATION_KINDS)) }),
  roles: z.array(z.enum(ROLES)),
  agreement: AgreementStatusSchema,
}));
export type MeResponse = z.infer<typeof MeResponseSchema>;
