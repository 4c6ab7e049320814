import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOB_ENTRIES, LAMBDA_ENTRIES, type LambdaAccess } from '../../functions/lambda-entries';
import { VERIFICATION_CLAIM_SECONDS } from '../../functions/uploads/verify-upload';
import { buildAccord } from '../../infra/bin/build-accord';
import { WebStack } from '../../infra/stacks/web-stack';

type StackName = 'data' | 'identity' | 'api' | 'web';
type Resource = { Type: string; Properties: any; [key: string]: any };

let outdir: string;
let templates: Record<StackName, Template>;
let synthError: unknown;

// One synthesis for the whole file, with the context `npm run synth` uses and cdk-nag enabled,
// over a stand-in web build so that the site deployment is always part of what is checked.
beforeAll(async () => {
  const site = mkdtempSync(join(tmpdir(), 'accord-site-'));
  writeFileSync(join(site, 'index.html'), '<!doctype html><title>Accord</title>');
  const { context } = JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...context, skipWebBuild: true } });
  const stacks = await buildAccord(app, { webAssetsDir: site });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  // The templates are written before validation runs, so they can be checked even when cdk-nag fails.
  outdir = app.outdir;
  const load = (stack: Stack) => Template.fromJSON(JSON.parse(readFileSync(join(outdir, stack.templateFile), 'utf8')));
  templates = { data: load(stacks.data), identity: load(stacks.identity), api: load(stacks.api), web: load(stacks.web) };
}, 120_000);

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

function resources(stack: StackName, type: string): Array<[string, Resource]> {
  return Object.entries(templates[stack].toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
}

/** The logical id and resource of the Lambda function of one entry of LAMBDA_ENTRIES. */
function functionOf(name: string): [string, Resource] {
  const pattern = new RegExp(`^${pascal(name)}Function[0-9A-F]{8}$`);
  const found = resources('api', 'AWS::Lambda::Function').find(([id]) => pattern.test(id));
  expect(found, `the ${name} function`).toBeDefined();
  return found!;
}

/** Every statement of the policies attached to a function's role. */
function statementsOf(name: string): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  const roleId = functionOf(name)[1].Properties.Role['Fn::GetAtt'][0] as string;
  return resources('api', 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

const actionsOf = (name: string) => [...new Set(statementsOf(name).flatMap((s) => [s.Action].flat()))].sort();

const TABLE_READ = ['BatchGetItem', 'ConditionCheckItem', 'DescribeTable', 'GetItem', 'GetRecords', 'GetShardIterator', 'Query', 'Scan'];
const TABLE_WRITE = ['BatchWriteItem', 'DeleteItem', 'PutItem', 'UpdateItem'];

/** What a function's role may do for the access its entry declares, and nothing else. */
function expectedActions(access: LambdaAccess): string[] {
  const actions = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
  actions.push(...[...TABLE_READ, ...(access.table === 'readWrite' ? TABLE_WRITE : [])].map((a) => `dynamodb:${a}`));
  if (access.datasetFiles || access.stagingFiles) actions.push('s3:GetObject', 'kms:Decrypt');
  if (access.datasetFiles === 'readWrite') actions.push('s3:PutObject', 's3:DeleteObject');
  if (access.stagingFiles === 'upload') actions.push('s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts');
  if (access.stagingFiles === 'verify') actions.push('s3:DeleteObject');
  if (access.datasetFiles === 'readWrite' || access.stagingFiles === 'upload') actions.push('kms:GenerateDataKey');
  if (access.verificationQueue === 'send') actions.push('sqs:SendMessage');
  if (access.verificationQueue === 'consume') {
    actions.push('sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage');
  }
  if (access.cognitoAdmin) actions.push('cognito-idp:AdminCreateUser', 'cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminUserGlobalSignOut');
  if (access.events) actions.push('events:PutEvents');
  if (access.mail) actions.push('ses:SendEmail');
  return [...new Set(actions)].sort();
}

/** The S3 statements of a function's role, by the prefix they are scoped to. */
function s3StatementsOf(name: string): Record<string, string[]> {
  const statements = statementsOf(name).filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')));
  return Object.fromEntries(
    statements.map((s) => [/\/(\w+)\/\*"\]\]\}$/.exec(JSON.stringify(s.Resource))![1]!, [s.Action].flat().sort()]),
  );
}

describe('the CDK app', () => {
  it('synthesizes with every cdk-nag finding fixed or acknowledged with a reason', () => {
    expect(synthError).toBeUndefined();
  });

  describe('data', () => {
    it('keeps one on-demand table with point-in-time recovery, TTL on expiresAt and its GSIs, retained', () => {
      templates.data.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
      templates.data.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: 'PK', KeyType: 'HASH' },
            { AttributeName: 'SK', KeyType: 'RANGE' },
          ],
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
          GlobalSecondaryIndexes: Match.arrayWith(
            ['GSI1', 'GSI2'].map((name) =>
              Match.objectLike({
                IndexName: name,
                KeySchema: [
                  { AttributeName: `${name}PK`, KeyType: 'HASH' },
                  { AttributeName: `${name}SK`, KeyType: 'RANGE' },
                ],
              }),
            ),
          ),
        }),
      });
    });

    it('keeps dataset files private, encrypted with a rotating customer key, versioned and open to browser PUT and GET', () => {
      const [keyId] = resources('data', 'AWS::KMS::Key')[0]!;
      templates.data.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
      templates.data.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } }),
            ],
          },
          VersioningConfiguration: { Status: 'Enabled' },
          LifecycleConfiguration: {
            Rules: Match.arrayWith([
              // Uploads land under staging/: what the verifier did not copy out and delete goes after a day.
              Match.objectLike({
                Id: 'ExpireStaging',
                Prefix: 'staging/',
                Status: 'Enabled',
                ExpirationInDays: 1,
                NoncurrentVersionExpiration: { NoncurrentDays: 1 },
                AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              }),
            ]),
          },
          LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'dataset-files/' }),
          CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['GET', 'PUT', 'HEAD'], AllowedOrigins: ['*'], ExposedHeaders: ['ETag'] })] },
        }),
      });
    });

    it('denies every request to the dataset bucket that does not use TLS', () => {
      const [bucketId] = resources('data', 'AWS::S3::Bucket').find(([, b]) => b.Properties.VersioningConfiguration)!;
      templates.data.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('identity', () => {
    it('has a user pool without self sign-up, signing in by email with a strong password and optional MFA', () => {
      templates.identity.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        UsernameAttributes: ['email'],
        MfaConfiguration: 'OPTIONAL',
        Policies: {
          PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }),
        },
      });
    });

    it('has a public web client on the authorization-code flow and a hosted UI domain', () => {
      templates.identity.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        CallbackURLs: ['http://localhost:3000/auth/callback'],
        LogoutURLs: ['http://localhost:3000/'],
      });
      templates.identity.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    });

    it('issues access tokens that live 15 minutes, with revocable refresh tokens', () => {
      templates.identity.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        AccessTokenValidity: 15,
        IdTokenValidity: 15,
        RefreshTokenValidity: 720,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
        EnableTokenRevocation: true,
      });
    });
  });

  describe('api', () => {
    it('routes every route of every context to that context\'s function, with no gateway authorizer', () => {
      const routes = resources('api', 'AWS::ApiGatewayV2::Route');
      const integrations = Object.fromEntries(resources('api', 'AWS::ApiGatewayV2::Integration'));
      for (const entry of LAMBDA_ENTRIES) {
        const [functionId] = functionOf(entry.name);
        for (const routeKey of entry.routes) {
          const route = routes.find(([, r]) => r.Properties.RouteKey === routeKey);
          expect(route, routeKey).toBeDefined();
          const integrationId = route![1].Properties.Target['Fn::Join'][1][1].Ref as string;
          expect(integrations[integrationId]!.Properties.IntegrationUri, routeKey).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
        }
      }
      expect(routes).toHaveLength(LAMBDA_ENTRIES.flatMap((e) => e.routes).length);
      expect(routes.every(([, r]) => r.Properties.AuthorizationType === 'NONE')).toBe(true);
    });

    it('routes the brief\'s public and context routes', () => {
      for (const routeKey of ['GET /v1/me', 'POST /v1/organizations/{orgId}/members', 'PUT /v1/governance', 'POST /v1/agreement/signatures', 'POST /v1/datasets/{id}/uploads/{fileId}/complete', 'GET /v1/public/{proxy+}', 'GET /health']) {
        templates.api.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: routeKey });
      }
    });

    it('throttles and access-logs the default stage', () => {
      templates.api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
      });
    });

    it('runs every function on nodejs22.x, ARM, 256 MB, with its own log group and the Cognito configuration', () => {
      for (const entry of LAMBDA_ENTRIES) {
        const [, fn] = functionOf(entry.name);
        expect(fn.Properties, entry.name).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 256, Handler: 'index.handler', TracingConfig: { Mode: 'Active' } });
        expect(fn.Properties.LoggingConfig.LogGroup.Ref, entry.name).toMatch(/Logs/);
        expect(Object.keys(fn.Properties.Environment.Variables).sort(), entry.name).toEqual(
          [
            'AUTH_MODE', 'BUCKET_NAME', 'COGNITO_CLIENT_ID', 'COGNITO_USER_POOL_ID', 'TABLE_NAME',
            ...(entry.access.events ? ['EVENT_BUS_NAME'] : []),
            ...(entry.access.verificationQueue === 'send' ? ['VERIFICATION_QUEUE_URL'] : []),
          ].sort(),
        );
        expect(fn.Properties.Environment.Variables.AUTH_MODE).toBe('cognito');
      }
    });

    it('bundles every function as ESM with the AWS SDK inside, not taken from the runtime', () => {
      for (const entry of LAMBDA_ENTRIES) {
        const [, fn] = functionOf(entry.name);
        const assetDir = join(outdir, `asset.${(fn.Properties.Code.S3Key as string).replace(/\.zip$/, '')}`);
        const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
        expect(bundle.startsWith("import { createRequire as __accordCreateRequire } from 'node:module';"), entry.name).toBe(true);
        // The DynamoDB client is in the bundle (its JSON protocol's target prefix), and no module is imported from the runtime's SDK.
        expect(bundle.includes('DynamoDB_20120810'), entry.name).toBe(true);
        expect(/import\s*(?:\{[^}]*\}|\*\s*as\s*\w+|\w+)\s*from\s*["']@aws-sdk\//.test(bundle), entry.name).toBe(false);
        expect(existsSync(join(assetDir, 'index.mjs.map')), entry.name).toBe(false);
      }
    });

    it('grants each function exactly the actions its context declares', () => {
      for (const entry of [...LAMBDA_ENTRIES, ...JOB_ENTRIES]) {
        // A function the domain bus starts may also hand a failed invocation to its dead-letter queue.
        const onFailure = 'domainEvents' in entry && entry.domainEvents ? ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'] : [];
        expect(actionsOf(entry.name), entry.name).toEqual([...new Set([...expectedActions(entry.access), ...onFailure])].sort());
      }
    });

    it('runs each scheduled job from an EventBridge rule on its schedule, without retries, within 50 s', () => {
      expect(JOB_ENTRIES.map((j) => j.name)).toContain('grant-lifecycle');
      for (const job of JOB_ENTRIES.filter((j) => j.schedule !== undefined)) {
        const [id, fn] = functionOf(job.name);
        expect(fn.Properties, job.name).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 50 });
        expect(fn.Properties.Environment.Variables.EVENT_BUS_NAME === undefined, job.name).toBe(!job.access.events);
        const rules = resources('api', 'AWS::Events::Rule').filter(([, r]) =>
          r.Properties.Targets?.some((t: { Arn: unknown }) => JSON.stringify(t.Arn) === JSON.stringify({ 'Fn::GetAtt': [id, 'Arn'] })),
        );
        expect(rules, job.name).toHaveLength(1);
        expect(rules[0]![1].Properties).toMatchObject({ ScheduleExpression: job.schedule, State: 'ENABLED' });
        expect(rules[0]![1].Properties.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 0 });
        templates.api.hasResourceProperties('AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          Principal: 'events.amazonaws.com',
          FunctionName: { 'Fn::GetAtt': [id, 'Arn'] },
          SourceArn: { 'Fn::GetAtt': [rules[0]![0], 'Arn'] },
        });
      }
    });

    it('keeps the grant lifecycle job away from dataset files and Cognito', () => {
      expect(actionsOf('grant-lifecycle').filter((a) => /^(s3|kms|cognito-idp):/.test(a))).toEqual([]);
      expect(actionsOf('grant-lifecycle')).toContain('events:PutEvents');
    });

    it('lets the public function only read the table', () => {
      const actions = actionsOf('public');
      expect(actions).toContain('dynamodb:Query');
      expect(actions.filter((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a) || /^(s3|kms|cognito-idp|events):/.test(a))).toEqual([]);
    });

    it('gives the agreements function the table and nothing of S3, KMS or Cognito', () => {
      const actions = actionsOf('agreements');
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']));
      expect(actions.filter((a) => /^(s3|kms|cognito-idp):/.test(a))).toEqual([]);
    });

    it('lets the catalog function upload only under staging/ and only read under datasets/, with the key', () => {
      // No URL the catalog presigns can write a published key: those are the verifier's alone.
      expect(s3StatementsOf('catalog')).toEqual({
        staging: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        datasets: ['s3:GetObject'],
      });
      expect(actionsOf('catalog')).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey']));
      expect(actionsOf('catalog').filter((a) => a.startsWith('cognito-idp:') || a === 's3:DeleteObject')).toEqual([]);
    });

    it('lets only the upload verifier write and delete published files, and read and delete staged ones', () => {
      expect(s3StatementsOf('upload-verifier')).toEqual({
        datasets: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        staging: ['s3:DeleteObject', 's3:GetObject'],
      });
      for (const entry of [...LAMBDA_ENTRIES, ...JOB_ENTRIES].filter((e) => e.name !== 'upload-verifier')) {
        expect(s3StatementsOf(entry.name).datasets ?? [], entry.name).not.toContain('s3:PutObject');
        expect(actionsOf(entry.name), entry.name).not.toContain('s3:DeleteObject');
      }
      expect(actionsOf('upload-verifier').filter((a) => /^(cognito-idp|events):/.test(a) || a === 'sqs:SendMessage')).toEqual([]);
    });

    it('queues completed uploads for the verifier: SSE, TLS only, a dead-letter queue after three receipts, hidden six times the verifier\'s timeout', () => {
      const verifier = JOB_ENTRIES.find((j) => j.name === 'upload-verifier')!;
      const queues = resources('api', 'AWS::SQS::Queue').filter(([id]) => id.startsWith('Verification'));
      expect(queues).toHaveLength(2);
      const [dlqId] = queues.find(([id]) => id.startsWith('VerificationDeadLetters'))!;
      const [queueId, queue] = queues.find(([id]) => id.startsWith('VerificationQueue'))!;
      expect(queue.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: verifier.queue!.visibilityTimeoutSeconds,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 3 },
      });
      expect(resources('api', 'AWS::SQS::Queue').find(([id]) => id === dlqId)![1].Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
      for (const id of [queueId, dlqId]) {
        templates.api.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
        });
      }
      // The catalog sends to it, and nothing else may.
      const [, catalog] = functionOf('catalog');
      expect(catalog.Properties.Environment.Variables.VERIFICATION_QUEUE_URL).toEqual({ Ref: queueId });
      const senders = [...LAMBDA_ENTRIES, ...JOB_ENTRIES]
        .filter((e) => statementsOf(e.name).some((s) => [s.Action].flat().includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(queueId)))
        .map((e) => e.name);
      expect(senders).toEqual(['catalog']);
      expect(statementsOf('catalog').find((s) => s.Action === 'sqs:SendMessage')!.Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    });

    it('runs the upload verifier from the queue, one message at a time, for up to 15 minutes with 1 GB', () => {
      const verifier = JOB_ENTRIES.find((j) => j.name === 'upload-verifier')!;
      const [fnId, fn] = functionOf('upload-verifier');
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 900, MemorySize: 1024 });
      const [queueId] = resources('api', 'AWS::SQS::Queue').find(([id]) => id.startsWith('VerificationQueue'))!;
      templates.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnId },
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // A run's claim on a file outlasts the function, and a message stays hidden past the claim:
      // a redelivery never overlaps a live run.
      expect(VERIFICATION_CLAIM_SECONDS).toBeGreaterThan(verifier.queue!.timeoutSeconds);
      expect(verifier.queue!.visibilityTimeoutSeconds).toBeGreaterThan(VERIFICATION_CLAIM_SECONDS);
      expect(resources('api', 'AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.Properties.Targets).includes(fnId))).toEqual([]);
    });

    it('starts the mailer for every domain event, with retries and one dead-letter queue for the rule target and the function', () => {
      const mailer = JOB_ENTRIES.find((j) => j.name === 'mailer')!;
      const [fnId, fn] = functionOf('mailer');
      const [dlqId, dlq] = resources('api', 'AWS::SQS::Queue').find(([id]) => id.startsWith('MailerDeadLetters'))!;
      const rules = resources('api', 'AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.Properties.Targets).includes(fnId));
      expect(rules).toHaveLength(1);
      const [, rule] = rules[0]!;
      expect(rule.Properties.EventPattern).toEqual({ source: ['accord'] });
      expect(JSON.stringify(rule.Properties.EventBusName)).toMatch(/DomainEvents/);
      expect(rule.Properties.Targets[0]).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: mailer.domainEvents!.retryAttempts, MaximumEventAgeInSeconds: mailer.domainEvents!.maxEventAgeHours * 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
      });
      templates.api.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId },
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
      });
      expect(dlq.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 50 });
    });

    it('sends email with SES v2 from the context\'s sender, only as its identity and through the configuration set', () => {
      const [setId] = resources('api', 'AWS::SES::ConfigurationSet')[0]!;
      const identities = resources('api', 'AWS::SES::EmailIdentity');
      expect(identities).toHaveLength(1);
      expect(identities[0]![1].Properties).toMatchObject({ EmailIdentity: 'accord.example', ConfigurationSetAttributes: { ConfigurationSetName: { Ref: setId } } });
      for (const name of ['mailer', 'mail-jobs']) {
        const [, fn] = functionOf(name);
        expect(fn.Properties.Environment.Variables, name).toMatchObject({ MAIL_FROM: 'Accord <no-reply@accord.example>', SES_CONFIGURATION_SET: { Ref: setId } });
        const ses = statementsOf(name).filter((s) => [s.Action].flat().some((a) => a.startsWith('ses:')));
        expect(ses, name).toHaveLength(1);
        expect(ses[0]!.Action).toBe('ses:SendEmail');
        const resourcesJson = JSON.stringify(ses[0]!.Resource);
        expect(resourcesJson, name).toContain(':identity/accord.example');
        expect(resourcesJson, name).toContain(':configuration-set/');
        expect(resourcesJson, name).toContain(setId);
      }
      // Nothing else may send email.
      const senders = [...LAMBDA_ENTRIES, ...JOB_ENTRIES].filter((e) => actionsOf(e.name).some((a) => a.startsWith('ses:'))).map((e) => e.name);
      expect(senders.sort()).toEqual(['mail-jobs', 'mailer']);
    });

    it('lets only the identity function create, read, enable, sign out and disable Cognito users, in the one pool', () => {
      for (const entry of LAMBDA_ENTRIES) {
        const cognito = statementsOf(entry.name).filter((s) => [s.Action].flat().some((a) => a.startsWith('cognito-idp:')));
        if (entry.name !== 'identity') {
          expect(cognito, entry.name).toEqual([]);
          continue;
        }
        expect(cognito).toHaveLength(1);
        expect([cognito[0]!.Action].flat().sort()).toEqual(['cognito-idp:AdminCreateUser', 'cognito-idp:AdminDisableUser', 'cognito-idp:AdminEnableUser', 'cognito-idp:AdminGetUser', 'cognito-idp:AdminUserGlobalSignOut']);
        expect(JSON.stringify(cognito[0]!.Resource)).toMatch(/^\{"Fn::ImportValue":"AccordIdentity:ExportsOutputFnGetAttUsers[0-9A-F]+Arn/);
      }
    });
  });

  describe('web', () => {
    it('serves the web app from a private bucket through origin access control, falling back to index.html for client routes', () => {
      templates.web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
      templates.web.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        WebsiteConfiguration: Match.absent(),
      });
      templates.web.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'redirect-to-https',
            FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
          }),
          Logging: Match.objectLike({ Prefix: 'cdn/' }),
        }),
      });
      templates.web.hasResourceProperties('AWS::CloudFront::Function', { FunctionCode: Match.stringLikeRegexp("request.uri = '/index.html'") });
    });

    it('sends /v1/* to the HTTP API uncached, with every method and the viewer\'s headers', () => {
      const [, distribution] = resources('web', 'AWS::CloudFront::Distribution')[0]!;
      const config = distribution.Properties.DistributionConfig;
      const api = config.CacheBehaviors.find((b: any) => b.PathPattern === '/v1/*');
      expect(api).toMatchObject({
        ViewerProtocolPolicy: 'https-only',
        // Managed policies: CachingDisabled and AllViewerExceptHostHeader.
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      });
      expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS']));
      const origin = config.Origins.find((o: any) => o.Id === api.TargetOriginId);
      expect(JSON.stringify(origin.DomainName)).toMatch(/AccordApi:ExportsOutputFnGetAttHttpApi[0-9A-F]+ApiEndpoint/);
    });

    it('sends a strict CSP, HSTS, nosniff, no framing and no referrer from CloudFront, on pages and API answers alike', () => {
      const config = resources('web', 'AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig;
      const policies = new Map(resources('web', 'AWS::CloudFront::ResponseHeadersPolicy'));
      const policyOf = (behavior: any) => policies.get(behavior.ResponseHeadersPolicyId.Ref)!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      const pages = policyOf(config.DefaultCacheBehavior);
      const api = policyOf(config.CacheBehaviors.find((b: any) => b.PathPattern === '/v1/*'));
      for (const headers of [pages, api]) {
        expect(headers).toMatchObject({
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
          StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
        });
      }
      const pagesCsp = JSON.stringify(pages.ContentSecurityPolicy.ContentSecurityPolicy);
      expect(pagesCsp).toContain("script-src 'self';");
      expect(pagesCsp).not.toContain('unsafe-inline');
      expect(pagesCsp).not.toContain('unsafe-eval');
      expect(pagesCsp).toContain("frame-ancestors 'none'");
      expect(pagesCsp).toMatch(/connect-src 'self' https:\/\/.*RegionalDomainName/);
      expect(api.ContentSecurityPolicy.ContentSecurityPolicy).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    });

    it('deploys the built web app with a config.json naming the hosted UI and the web client', () => {
      templates.web.resourceCountIs('Custom::CDKBucketDeployment', 1);
      const [, deployment] = resources('web', 'Custom::CDKBucketDeployment')[0]!;
      const markers = JSON.stringify(deployment.Properties.SourceMarkers);
      expect(markers).toMatch(/ExportsOutputRefUsersHostedUi/);
      expect(markers).toMatch(/ExportsOutputRefUsersWebApp/);
    });

    it('creates the distribution without a deployment, and says so, when the web app is not built', () => {
      const app = new App();
      const deps = new Stack(app, 'Deps');
      const pool = new UserPool(deps, 'Pool');
      const web = new WebStack(app, 'Web', {
        api: new HttpApi(deps, 'Api'),
        client: pool.addClient('Client'),
        hostedUi: pool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: 'accord-test' } }),
        assetsDir: join(tmpdir(), 'accord-no-such-build'),
        dataBucket: new Bucket(deps, 'Data'),
      });
      const template = Template.fromStack(web);
      template.resourceCountIs('AWS::CloudFront::Distribution', 1);
      template.resourceCountIs('Custom::CDKBucketDeployment', 0);
      expect(web.deploysSite).toBe(false);
      Annotations.fromStack(web).hasWarning('/Web', Match.stringLikeRegexp('does not exist'));
    });
  });
});
