import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccountRecovery, FeaturePlan, Mfa, OAuthScope, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';

export interface IdentityStackProps extends StackProps {
  /** Where the hosted UI may send users back with a code. @default ['http://localhost:3000/'] */
  readonly callbackUrls?: string[];
  /** Hosted UI domain prefix (globally unique). @default 'accord-consortium' */
  readonly domainPrefix?: string;
}

/**
 * Who can sign in: a Cognito user pool without self sign-up (organisations are admitted and users
 * added by admins), and the SPA's public client using the authorization-code flow with PKCE.
 */
export class IdentityStack extends Stack {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: IdentityStackProps = {}) {
    super(scope, id, props);
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      standardAttributes: { email: { required: true, mutable: false }, fullname: { required: false, mutable: true } },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason: 'MFA is optional (TOTP) so partner organisations can enrol at their pace; consortium policy may make it required.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG3',
      reason: 'Threat protection needs the Plus feature plan; the Essentials plan is chosen for cost and can be raised without code changes.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason: 'The Plus feature plan (threat protection) is a cost decision per deployment; Essentials is the default.',
    });
    this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix ?? 'accord-consortium' } });
    const callbackUrls = props.callbackUrls ?? ['http://localhost:3000/'];
    this.client = this.userPool.addClient('WebApp', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: { flows: { authorizationCodeGrant: true }, scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE], callbackUrls, logoutUrls: callbackUrls },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      preventUserExistenceErrors: true,
    });
  }
}
