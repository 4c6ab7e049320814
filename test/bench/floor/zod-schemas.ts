// zod with the request and response schemas of the three largest contexts, imported as every function imports its context's (each schema is built on its first use).
export * from '../../../shared/schemas/dataset';
export * from '../../../shared/schemas/grant';
export * from '../../../shared/schemas/proposal';
export const handler = async () => null;
