import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_ENTRIES } from '../../functions/lambda-entries';
import { buildAccord } from '../../infra/bin/build-accord';

let stacks: Awaited<ReturnType<typeof buildAccord>>;
let templates: Record<'data' | 'identity' | 'api' | 'web', Template>;
let synthError: unknown;

beforeAll(async () => {
  const app = new App({ context: { skipWebBuild: true, '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
  stacks = await buildAccord(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  templates = {
    data: Template.fromStack(stacks.data),
    identity: Template.fromStack(stacks.identity),
    api: Template.fromStack(stacks.api),
    web: Template.fromStack(stacks.web),
  };
}, 120_000);

/** Every action a function's role may take, from its inline policies. */
function actionsOf(functionName: string): string[] {
  const api = templates.api.toJSON();
  const fn = Object.entries(api.Resources).find(([id, r]: [string, any]) => r.Type === 'AWS::Lambda::Function' && id.startsWith(`${functionName[0]!.toUpperCase()}${functionName.slice(1)}Function`));
  expect(fn, functionName).toBeDefined();
  const roleRef = (fn![1] as any).Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(api.Resources).filter((r: any) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleRef));
  return policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()));
}

describe('the CDK app', () => {
  it('synthesizes with no unacknowledged cdk-nag finding', () => {
    expect(synthError).toBeUndefined();
  });

  it('keeps one on-demand table with point-in-time recovery, TTL and three GSIs', () => {
    templates.data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'GSI1' }), Match.objectLike({ IndexName: 'GSI2' }), Match.objectLike({ IndexName: 'GSI3' })],
    });
    templates.data.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
  });

  it('keeps dataset files private, KMS-encrypted, versioned and TLS-only', () => {
    templates.data.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      VersioningConfiguration: { Status: 'Enabled' },
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['GET', 'PUT', 'HEAD'], ExposedHeaders: ['ETag'] })] },
    });
    templates.data.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    templates.data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('has a user pool without self sign-up and a public SPA client on the code flow', () => {
    templates.identity.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    templates.identity.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false, AllowedOAuthFlows: ['code'] });
  });

  it('routes every API route to its context\'s function, on nodejs22.x', () => {
    for (const entry of LAMBDA_ENTRIES) {
      for (const route of entry.routes) templates.api.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: route });
    }
    const functions = templates.api.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs22.x' } });
    expect(Object.keys(functions).filter((id) => id.endsWith('Function') || /Function[0-9A-F]{8}$/.test(id)).length).toBeGreaterThanOrEqual(LAMBDA_ENTRIES.length);
    templates.api.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'], Environment: { Variables: Match.objectLike({ AUTH_MODE: 'cognito' }) } });
  });

  it('grants each function only what its routes need', () => {
    const publicActions = actionsOf('public');
    expect(publicActions).toContain('dynamodb:Query');
    expect(publicActions.filter((a) => /dynamodb:(Put|Update|Delete|BatchWrite)/.test(a))).toEqual([]);
    expect(publicActions.filter((a) => a.startsWith('s3:') || a.startsWith('kms:') || a.startsWith('cognito'))).toEqual([]);

    const agreements = actionsOf('agreements');
    expect(agreements).toContain('dynamodb:PutItem');
    expect(agreements.filter((a) => a.startsWith('s3:') || a.startsWith('cognito'))).toEqual([]);

    const catalog = actionsOf('catalog');
    expect(catalog).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 'kms:Decrypt', 'kms:GenerateDataKey']));
    expect(catalog.filter((a) => a.startsWith('cognito') || a === 's3:DeleteObject' || a === 's3:*')).toEqual([]);

    for (const name of LAMBDA_ENTRIES.map((e) => e.name)) {
      const cognito = actionsOf(name).filter((a) => a.startsWith('cognito-idp:'));
      expect(cognito, name).toEqual(name === 'identity' ? ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminGetUser'] : []);
    }
  });

  it('serves the web app from a private bucket through CloudFront with /v1 sent to the API', () => {
    templates.web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: '/v1/*' })]),
      }),
    });
    templates.web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const distribution = Object.values(templates.web.findResources('AWS::CloudFront::Distribution'))[0] as any;
    const api = distribution.Properties.DistributionConfig.CacheBehaviors.find((b: any) => b.PathPattern === '/v1/*');
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['POST', 'PATCH', 'PUT', 'DELETE']));
  });
});
