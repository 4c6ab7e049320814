import * as z from 'zod';

/**
 * Runtime configuration, parsed once at cold start. A missing or malformed variable fails the
 * import (and so the cold start), never a request half-way through.
 */
const ConfigSchema = z
  .object({
    TABLE_NAME: z.string().min(1),
    BUCKET_NAME: z.string().min(1),
    AWS_REGION: z.string().min(1).default('eu-west-1'),
    /** `local`: JwtRsaVerifier against the local issuer's JWKS. `cognito`: CognitoJwtVerifier on access tokens. */
    AUTH_MODE: z.enum(['local', 'cognito']),
    COGNITO_USER_POOL_ID: z.string().optional(),
    COGNITO_CLIENT_ID: z.string().optional(),
    /** Local only: where DynamoDB Local and the S3 server listen. Unset when deployed. */
    DYNAMODB_ENDPOINT: z.url().optional(),
    S3_ENDPOINT: z.url().optional(),
    /** Local only: the issuer and audience the local token issuer signs with. */
    LOCAL_ISSUER: z.string().optional(),
    LOCAL_AUDIENCE: z.string().optional(),
    /** The EventBridge bus domain events go to; unset locally (the in-app inbox only). */
    EVENT_BUS_NAME: z.string().min(1).optional(),
    /** Seconds a membership lookup is cached in the container. */
    MEMBERSHIP_CACHE_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  })
  .superRefine((c, ctx) => {
    if (c.AUTH_MODE === 'cognito') {
      for (const key of ['COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID'] as const) {
        if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required when AUTH_MODE=cognito` });
      }
    }
  });
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
