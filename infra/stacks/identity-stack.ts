import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';

export interface IdentityStackProps extends StackProps {
  /**
   * Origins the web app is served from. The hosted UI may send users back to
   * `<origin>/auth/callback` with a code and, on sign-out, to `<origin>/`. The CloudFront domain
   * is only known after the first deploy (the web stack depends on this one), so it is given as
   * the `webOrigin` context on the next deploy, or a custom domain from the start.
   * @default ['http://localhost:3000'] (a placeholder: Cognito accepts plain http only for localhost)
   */
  readonly webOrigins?: readonly string[];
  /**
   * Callback URLs, when they are not `<origin>/auth/callback` of {@link webOrigins}.
   * @default the web origins' `/auth/callback`
   */
  readonly callbackUrls?: readonly string[];
  /**
   * Hosted UI domain prefix, unique within the region.
   * @default `accord-<account id>`
   */
  readonly domainPrefix?: string;
}

/**
 * Who can sign in: a Cognito user pool without self sign-up (organisations are admitted and
 * their users added by admins), and the SPA's public client on the authorization-code flow with
 * PKCE. Access tokens are verified inside the functions with aws-jwt-verify.
 */
export class IdentityStack extends Stack {
  readonly userPool: UserPool;
  /** The web app's client: no secret, code flow. Its id is the audience the functions check. */
  readonly client: UserPoolClient;
  /** The hosted UI the web app signs in through. */
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: IdentityStackProps = {}) {
    super(scope, id, props);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: false }, fullname: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason: 'MFA is optional (TOTP only, no SMS) so partner organisations can enrol at their own pace; a deployment may make it required.',
      },
      {
        id: 'AwsSolutions-COG3',
        reason: 'Threat protection (advanced security) needs the Plus feature plan, billed per active user; Essentials is the cost-conscious default and can be raised without code changes.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason: 'The Plus feature plan is a per-deployment cost decision (see COG3); Essentials is the default.',
      },
    );

    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `accord-${Aws.ACCOUNT_ID}` },
    });
    const origins = (props.webOrigins ?? ['http://localhost:3000']).map((o) => o.replace(/\/$/, ''));
    this.client = this.userPool.addClient('WebApp', {
      // A browser cannot keep a secret; PKCE (the web app sends a code_challenge) protects the code instead.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [...(props.callbackUrls ?? origins.map((o) => `${o}/auth/callback`))],
        logoutUrls: origins.map((o) => `${o}/`),
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      // Short-lived access: a removed member's token is refused by the per-request standing check
      // anyway, and their refresh token by Cognito's global sign-out; the web app refreshes.
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'WebClientId', { value: this.client.userPoolClientId });
    new CfnOutput(this, 'HostedUiUrl', { value: this.domain.baseUrl() });
  }
}
