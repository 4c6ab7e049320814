// The same schemas, and what a function's first validated request adds: the largest request body schema (a proposal draft) built and used once.
import { ProposalDraftSchema } from '../../../shared/schemas/proposal';
export * from './zod-schemas';
export const firstRequestValid = ProposalDraftSchema.safeParse({ title: 'A proposal title' }).success;
