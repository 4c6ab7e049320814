import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ConfigurationSet, EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { JOB_ENTRIES, type JobEntry, LAMBDA_ENTRIES, type LambdaAccess, type LambdaEntry } from '../../functions/lambda-entries';
import { ApiFunction } from '../constructs/api-function';

export interface ApiStackProps extends StackProps {
  /** The one table. */
  readonly table: ITableV2;
  /** The dataset bucket; functions get at most its `datasets/*` and `staging/*` objects. */
  readonly bucket: IBucket;
  /** The dataset bucket's key. */
  readonly key: IKey;
  /** The pool whose access tokens the functions accept, and where identity creates users. */
  readonly userPool: UserPool;
  /** The web app's client: the audience of accepted access tokens. */
  readonly client: UserPoolClient;
  /**
   * The functions to deploy: adding a bounded context is one more entry there (entry file,
   * routes, access).
   * @default LAMBDA_ENTRIES (functions/lambda-entries.ts)
   */
  readonly entries?: readonly LambdaEntry[];
  /**
   * The functions outside the HTTP API: a scheduled one gets an EventBridge rule on its schedule;
   * the verification queue's consumer gets that queue (and its dead-letter queue) as event source.
   * @default JOB_ENTRIES (functions/lambda-entries.ts)
   */
  readonly jobs?: readonly JobEntry[];
  /**
   * Stage-wide throttling, requests per second and burst.
   * @default { rateLimit: 100, burstLimit: 200 }
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * The site's public address, from which public links (the DCAT document) are built.
   * @default unset: links are root-relative
   */
  readonly publicBaseUrl?: string;
  /**
   * The sender of every email (CDK context `mailFrom`); its domain is the SES identity the
   * mailer may send as, verified by the DNS records SES lists for it.
   * @default 'Accord <no-reply@accord.example>'
   */
  readonly mailFrom?: string;
}

/** The domain of a sender (`Accord <no-reply@accord.example>` → `accord.example`). */
export const senderDomain = (mailFrom: string): string => {
  const domain = /@([^>\s]+)>?\s*$/.exec(mailFrom)?.[1];
  if (!domain) throw new Error(`mailFrom is not an email address: ${mailFrom}`);
  return domain;
};

/** PascalCase construct ids from kebab-case entry names. */
const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

/**
 * The HTTP API and one Lambda per bounded context, each granted exactly the access its entry
 * declares and nothing more.
 *
 * No route has an API Gateway authorizer: the functions verify the Cognito access token
 * themselves (aws-jwt-verify, JWKS cached per container) because they must then look up the
 * caller's organisation and roles anyway, the public routes (`/health`, `/v1/public/*`) take no
 * token at all, and the same check has to run locally where there is no API Gateway.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  /** Each context's function, by entry name. */
  readonly functions: Readonly<Record<string, ApiFunction>>;
  /** Domain events, for the contexts that publish them (`access.events`). */
  readonly eventBus: EventBus;
  /** Completed uploads waiting for the verifier, when a job consumes them (`access.verificationQueue`). */
  readonly verificationQueue?: Queue;
  /** What every email is sent through, when a function sends mail (`access.mail`). */
  readonly mailConfigurationSet?: ConfigurationSet;
  /** Domain events the mailer could not take after its retries. */
  readonly mailDeadLetters?: Queue;
  private readonly mailFrom: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.eventBus = new EventBus(this, 'DomainEvents');
    this.api = new HttpApi(this, 'HttpApi', { apiName: 'accord', createDefaultStage: false });
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const jobs = props.jobs ?? JOB_ENTRIES;
    this.verificationQueue = this.addVerificationQueue(jobs);
    this.mailFrom = props.mailFrom ?? 'Accord <no-reply@accord.example>';
    if (jobs.some((j) => j.access.mail)) this.mailConfigurationSet = this.addMail(this.mailFrom);

    const functions: Record<string, ApiFunction> = {};
    for (const entry of props.entries ?? LAMBDA_ENTRIES) {
      const name = pascal(entry.name);
      const fn = (functions[entry.name] = this.addFunction(entry, props));

      const integration = new HttpLambdaIntegration(`${name}Integration`, fn);
      for (const route of entry.routes) {
        const [method, path] = route.split(' ') as [keyof typeof HttpMethod, string];
        this.api.addRoutes({ path, methods: [HttpMethod[method]], integration });
      }
    }

    // Scheduled jobs: one rule each. A run that fails is not retried (the next run, a minute
    // later, picks up the same work: every step is a conditional write), and a run must end
    // before the next one starts.
    for (const job of jobs) {
      const name = pascal(job.name);
      if (job.queue) {
        // One message per invocation, so the timeout is one file's; a failed message alone comes back.
        const fn = (functions[job.name] = this.addFunction(job, props, { timeout: Duration.seconds(job.queue.timeoutSeconds), memorySize: job.memorySize }));
        if (job.access.verificationQueue === 'consume' && this.verificationQueue) {
          fn.addEventSource(new SqsEventSource(this.verificationQueue, { batchSize: 1, reportBatchItemFailures: true }));
        }
        continue;
      }
      if (job.domainEvents) {
        const deadLetters = this.addDomainEventJob(job, props, functions);
        if (job.access.mail) this.mailDeadLetters = deadLetters;
        continue;
      }
      const fn = (functions[job.name] = this.addFunction(job, props, { timeout: Duration.seconds(50) }));
      new Rule(this, `${name}Schedule`, {
        description: `Runs the ${job.name} job`,
        schedule: Schedule.expression(job.schedule),
        targets: [new LambdaFunction(fn, { retryAttempts: 0 })],
      });
    }
    this.functions = functions;

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route but /health and /v1/public/* verifies the Cognito access token inside its function (aws-jwt-verify), which must then read the caller\'s membership anyway; a gateway authorizer would verify twice and could not run locally.',
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.apiEndpoint });
  }

  /**
   * The queue completed uploads wait in for the job that consumes them, with a dead-letter queue
   * for messages that failed `maxReceiveCount` times (kept 14 days to be looked at and redriven).
   * Encrypted by SQS, TLS only; the message is `{ datasetId, fileId }`, never file contents.
   */
  private addVerificationQueue(jobs: readonly JobEntry[]): Queue | undefined {
    const consumer = jobs.find((j) => j.access.verificationQueue === 'consume');
    if (!consumer?.queue) return undefined;
    const deadLetters = new Queue(this, 'VerificationDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is the dead-letter queue of the verification queue.' });
    return new Queue(this, 'VerificationQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(consumer.queue.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: consumer.queue.maxReceiveCount },
    });
  }

  /**
   * A function every domain event starts (the mailer): a rule on the domain bus, retried by
   * EventBridge, and one dead-letter queue for both an event the rule could not deliver and an
   * invocation that failed after Lambda's own retries, kept 14 days to be looked at and redriven.
   */
  private addDomainEventJob(job: JobEntry & { domainEvents: NonNullable<JobEntry['domainEvents']> }, props: ApiStackProps, functions: Record<string, ApiFunction>): Queue {
    const name = pascal(job.name);
    const deadLetters = new Queue(this, `${name}DeadLetters`, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(deadLetters).acknowledge({ id: 'AwsSolutions-SQS3', reason: `This is the dead-letter queue of the ${job.name} function and of its rule's target.` });
    const fn = (functions[job.name] = this.addFunction(job, props, { timeout: Duration.seconds(50) }));
    fn.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(deadLetters) });
    new Rule(this, `${name}Events`, {
      description: `Starts the ${job.name} function for every domain event`,
      eventBus: this.eventBus,
      eventPattern: { source: ['accord'] },
      targets: [
        new LambdaFunction(fn, {
          retryAttempts: job.domainEvents.retryAttempts,
          maxEventAge: Duration.hours(job.domainEvents.maxEventAgeHours),
          deadLetterQueue: deadLetters,
        }),
      ],
    });
    return deadLetters;
  }

  /**
   * The SES configuration set every email goes through and the sender's domain identity (DNS
   * records to publish are in the SES console once deployed). Sending stays in the SES sandbox
   * until the account's production access is granted.
   */
  private addMail(mailFrom: string): ConfigurationSet {
    const configurationSet = new ConfigurationSet(this, 'MailConfigurationSet', { reputationMetrics: true });
    new EmailIdentity(this, 'MailIdentity', { identity: Identity.domain(senderDomain(mailFrom)), configurationSet });
    return configurationSet;
  }

  /** One function for an entry or a job: its bundle, its configuration and exactly the access it declares. */
  private addFunction(entry: LambdaEntry | JobEntry, props: ApiStackProps, options: { timeout?: Duration; memorySize?: number } = {}): ApiFunction {
    const fn = new ApiFunction(this, `${pascal(entry.name)}Function`, {
      entry: entry.entry,
      environment: this.environmentFor(entry.access, props),
      timeout: options.timeout,
      memorySize: options.memorySize,
    });
    this.grantAccess(fn, entry.access, props);
    return fn;
  }

  /** Every function parses the same configuration (functions/config.ts); the bus only where it publishes. */
  private environmentFor(access: LambdaAccess, props: ApiStackProps): Record<string, string> {
    return {
      TABLE_NAME: props.table.tableName,
      BUCKET_NAME: props.bucket.bucketName,
      AUTH_MODE: 'cognito',
      COGNITO_USER_POOL_ID: props.userPool.userPoolId,
      COGNITO_CLIENT_ID: props.client.userPoolClientId,
      ...(access.events ? { EVENT_BUS_NAME: this.eventBus.eventBusName } : {}),
      ...(access.verificationQueue === 'send' && this.verificationQueue ? { VERIFICATION_QUEUE_URL: this.verificationQueue.queueUrl } : {}),
      ...(props.publicBaseUrl ? { PUBLIC_BASE_URL: props.publicBaseUrl } : {}),
      ...(access.mail && this.mailConfigurationSet
        ? { MAIL_FROM: this.mailFrom, SES_CONFIGURATION_SET: this.mailConfigurationSet.configurationSetName }
        : {}),
    };
  }

  /** Grants one function exactly what its entry declares. */
  private grantAccess(fn: ApiFunction, access: LambdaAccess, props: ApiStackProps): void {
    if (access.table === 'read') props.table.grantReadData(fn);
    else props.table.grantReadWriteData(fn);
    const findings: Array<[string, string]> = [
      [
        // The export name of the table's ARN in the data stack; the test's nag check fails if it moves.
        'Resource::AccordData:ExportsOutputFnGetAttTableCD117FA1ArnE2C8C204/index/*',
        'Added by table.grant*Data: the one table\'s indexes, which the access patterns query.',
      ],
    ];

    // Presigned URLs act with the signer's permissions. Published files (datasets/*) are read by
    // downloads and the verifier's hashing, and written (a server-side copy) and deleted only by the
    // verifier. Uploads land in staging/*: the catalog presigns PUTs and parts there (PutObject, also
    // multipart create, part upload and complete), lists and aborts parts, and checks what arrived
    // (GetObject, for HEAD); the verifier reads them to copy, then deletes them. Never the bucket itself.
    const prefixes: Array<[string, string[]]> = [];
    if (access.datasetFiles) prefixes.push(['datasets/*', ['s3:GetObject', ...(access.datasetFiles === 'readWrite' ? ['s3:PutObject', 's3:DeleteObject'] : [])]]);
    if (access.stagingFiles === 'upload') prefixes.push(['staging/*', ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts']]);
    if (access.stagingFiles === 'verify') prefixes.push(['staging/*', ['s3:GetObject', 's3:DeleteObject']]);
    for (const [prefix, actions] of prefixes) {
      fn.addToRolePolicy(new PolicyStatement({ actions, resources: [props.bucket.arnForObjects(prefix)] }));
      findings.push([
        `Resource::AccordData:ExportsOutputFnGetAttDatasetFiles2EFAD9EAArnDE780F1A/${prefix}`,
        `Object-level S3 actions scoped to the ${prefix.slice(0, -2)}/ prefix of the one bucket; object keys are per dataset and file and only known per request.`,
      ]);
    }
    if (prefixes.length) {
      // SSE-KMS: reads decrypt; writes (uploads, the verifier's copy) generate a data key, and
      // multipart parts are decrypted to complete the upload. Not key.grantEncryptDecrypt: S3 never
      // calls kms:Encrypt for us, and that grant adds ReEncrypt* and GenerateDataKey* wildcards.
      const writes = access.datasetFiles === 'readWrite' || access.stagingFiles === 'upload';
      fn.addToRolePolicy(new PolicyStatement({ actions: ['kms:Decrypt', ...(writes ? ['kms:GenerateDataKey'] : [])], resources: [props.key.keyArn] }));
    }
    // Sending needs SendMessage alone (not grantSendMessages' GetQueueAttributes and GetQueueUrl);
    // the consumer's receive, delete and visibility rights come with its event source.
    if (access.verificationQueue === 'send' && this.verificationQueue) {
      fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.verificationQueue.queueArn] }));
    }
    if (access.cognitoAdmin) {
      // Adding a member creates (or finds, and enables again) their Cognito user; removing one
      // signs them out everywhere (refresh tokens revoked) and disables them.
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: [
            'cognito-idp:AdminCreateUser',
            'cognito-idp:AdminGetUser',
            'cognito-idp:AdminEnableUser',
            'cognito-idp:AdminUserGlobalSignOut',
            'cognito-idp:AdminDisableUser',
          ],
          resources: [props.userPool.userPoolArn],
        }),
      );
    }
    if (access.events) this.eventBus.grantPutEventsTo(fn);
    if (access.mail && this.mailConfigurationSet) {
      // SES v2 SendEmail authorises against the sending identity and the configuration set: these two, nothing else.
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['ses:SendEmail'],
          resources: [
            this.formatArn({ service: 'ses', resource: 'identity', resourceName: senderDomain(this.mailFrom) }),
            this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.mailConfigurationSet.configurationSetName }),
          ],
        }),
      );
    }

    fn.acknowledge(...findings.map(([finding, reason]) => ({ id: `AwsSolutions-IAM5[${finding}]`, reason })));
  }
}
