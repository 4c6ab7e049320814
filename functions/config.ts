import * as z from '../shared/schemas/zod';

/**
 * Runtime configuration, parsed once at cold start. A missing or malformed variable fails the
 * import (and so the cold start), never a request half-way through.
 */
const ConfigSchema = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  BUCKET_NAME: z.string().check(z.minLength(1)),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'eu-west-1'),
  /** `local`: JwtRsaVerifier against the local issuer's JWKS. `cognito`: CognitoJwtVerifier on access tokens. */
  AUTH_MODE: z.enum(['local', 'cognito']),
  COGNITO_USER_POOL_ID: z.optional(z.string()),
  COGNITO_CLIENT_ID: z.optional(z.string()),
  /** Local only: where DynamoDB Local and the S3 server listen. Unset when deployed. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  S3_ENDPOINT: z.optional(z.url()),
  /** Local only: the issuer and audience the local token issuer signs with. */
  LOCAL_ISSUER: z.optional(z.string()),
  LOCAL_AUDIENCE: z.optional(z.string()),
  /** The EventBridge bus domain events go to; unset locally (the in-app inbox only). */
  EVENT_BUS_NAME: z.optional(z.string().check(z.minLength(1))),
  /** The SQS queue completed uploads go to for verification (the catalog function); unset locally (verified in process). */
  VERIFICATION_QUEUE_URL: z.optional(z.url()),
  /**
   * The site's public address (`https://consortium.example`), from which public links such as
   * the DCAT document's are built; never the request's Host header. Unset: links are root-relative.
   */
  PUBLIC_BASE_URL: z.optional(z.url({ protocol: /^https?$/ })),
  /** Local only: the SMTP server the mailer sends through (`smtp://127.0.0.1:<port>`). Unset: no email locally. */
  SMTP_URL: z.optional(z.url({ protocol: /^smtp$/ })),
  /** The sender of every email (deployed: an address of the SES identity, from CDK context `mailFrom`). */
  MAIL_FROM: z._default(z.string().check(z.minLength(3)), 'Accord <no-reply@accord.local>'),
  /** Deployed: the SES configuration set every email is sent with. */
  SES_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
  /** Seconds a membership lookup is cached in the container. */
  MEMBERSHIP_CACHE_SECONDS: z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(0), z.maximum(600))), 30),
}).check(z.superRefine((c, ctx) => {
  if (c.AUTH_MODE === 'cognito') {
    for (const key of ['COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID'] as const) {
      if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required when AUTH_MODE=cognito` });
    }
  }
}));
export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
