import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { LAMBDA_ENTRIES, type LambdaEntry } from '../../functions/lambda-entries';
import { ApiFunction } from '../constructs/api-function';

export interface ApiStackProps extends StackProps {
  readonly table: ITableV2;
  readonly bucket: IBucket;
  readonly key: IKey;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  /** The functions to deploy. @default LAMBDA_ENTRIES (functions/lambda-entries.ts) */
  readonly entries?: readonly LambdaEntry[];
}

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());

/**
 * The HTTP API and one Lambda per bounded context, each granted exactly the access its entry
 * declares. JWTs are verified inside the functions (aws-jwt-verify), where the caller's
 * organisation and roles are then looked up, so the routes carry no API Gateway authorizer.
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly functions: Record<string, ApiFunction> = {};
  readonly eventBus: EventBus;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    this.eventBus = new EventBus(this, 'DomainEvents', { eventBusName: 'accord-domain-events' });
    this.api = new HttpApi(this, 'HttpApi', { apiName: 'accord', createDefaultStage: true });
    const stage = this.api.defaultStage!.node.defaultChild as CfnStage;
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      format: JSON.stringify({
        requestId: '$context.requestId', ip: '$context.identity.sourceIp', method: '$context.httpMethod', path: '$context.path',
        status: '$context.status', latency: '$context.responseLatency', integrationError: '$context.integrationErrorMessage',
      }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };

    for (const entry of props.entries ?? LAMBDA_ENTRIES) {
      const fn = new ApiFunction(this, `${pascal(entry.name)}Function`, {
        entry: entry.entry,
        environment: {
          TABLE_NAME: props.table.tableName,
          BUCKET_NAME: props.bucket.bucketName,
          AUTH_MODE: 'cognito',
          COGNITO_USER_POOL_ID: props.userPool.userPoolId,
          COGNITO_CLIENT_ID: props.client.userPoolClientId,
          EVENT_BUS_NAME: this.eventBus.eventBusName,
        },
      });
      this.functions[entry.name] = fn;
      if (entry.access.table === 'read') props.table.grantReadData(fn);
      else props.table.grantReadWriteData(fn);
      if (entry.access.datasetFiles) {
        // Presigned URLs carry the function's own permissions: reading (downloads, hashing) and, for uploads, writing.
        const write = entry.access.datasetFiles === 'readWrite';
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['s3:GetObject', ...(write ? ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'] : [])],
            resources: [props.bucket.arnForObjects('datasets/*')],
          }),
        );
        fn.addToRolePolicy(new PolicyStatement({ actions: ['kms:Decrypt', ...(write ? ['kms:GenerateDataKey'] : [])], resources: [props.key.keyArn] }));
      }
      if (entry.access.cognitoAdmin) {
        fn.addToRolePolicy(new PolicyStatement({ actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminGetUser'], resources: [props.userPool.userPoolArn] }));
      }
      if (entry.access.events) this.eventBus.grantPutEventsTo(fn);

      const integration = new HttpLambdaIntegration(`${pascal(entry.name)}Integration`, fn);
      for (const route of entry.routes) {
        const [method, path] = route.split(' ') as [keyof typeof HttpMethod, string];
        this.api.addRoutes({ path, methods: [HttpMethod[method]], integration });
      }
      acknowledgeFunctionFindings(fn);
    }
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Every route but /health and /v1/public/* verifies the Cognito JWT inside its function (aws-jwt-verify) and then reads the caller\'s membership; a gateway authorizer would verify twice.',
    });
  }
}

/** cdk-nag findings every API function shares, each with its reason. */
function acknowledgeFunctionFindings(fn: ApiFunction): void {
  const acknowledge = (id: string, reason: string) => Validations.of(fn).acknowledge({ id, reason });
  acknowledge(
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'The AWS-managed basic execution policy only lets the function write its own logs.',
  );
  acknowledge('AwsSolutions-L1', 'nodejs22.x is the runtime the code is built and tested for (ES2022, Node 20 locally); moving to a newer runtime is a deliberate, tested change.');
  for (const finding of [
    'Resource::AccordData:ExportsOutputFnGetAttTableCD117FA1ArnE2C8C204/index/*',
    'Resource::AccordData:ExportsOutputFnGetAttDatasetFiles2EFAD9EAArnDE780F1A/datasets/*',
  ]) {
    acknowledge(`AwsSolutions-IAM5[${finding}]`, 'Scoped by CDK grants to the one table\'s indexes (queries need them) and to the datasets/ prefix of the one bucket.');
  }
  acknowledge('AwsSolutions-IAM5[Resource::*]', 'X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords) has no resource-level permissions.');
}
