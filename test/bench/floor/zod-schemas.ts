// zod with the request and response schemas of the three largest contexts, built at import as in every function.
export * from '../../../shared/schemas/dataset';
export * from '../../../shared/schemas/grant';
export * from '../../../shared/schemas/proposal';
export const handler = async () => null;
