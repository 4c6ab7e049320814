import { fileURLToPath } from 'node:url';
import { type Acknowledgment, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LAMBDA_BUNDLE_OPTIONS } from '../../functions/lambda-entries';

/** The repository root: entries, the lock file and esbuild aliases are relative to it, wherever `cdk` runs from. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ApiFunctionProps {
  /** Entry file exporting `handler`, relative to the repository root. */
  readonly entry: string;
  /** Environment variables; the function parses them with zod at cold start and fails fast on a missing one. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * Memory in MB. Every function's import and first request peaks at about 48 MB RSS
   * (BENCHMARKS.md); 256 MB leaves headroom for large pages and buys a proportionally faster CPU
   * for cold starts.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Time a request may take. API Gateway gives up after 30 s; a request path here is a few
   * DynamoDB calls and at most one S3 object read.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * How long the function's log group keeps events.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/**
 * Every Lambda default in one place: Node 22 on ARM, an ESM bundle built by the local esbuild
 * (never Docker) with exactly the options the bundle-budget test and the benchmarks use
 * (`LAMBDA_BUNDLE_OPTIONS`), the AWS SDK bundled and tree-shaken rather than taken from the
 * runtime, its own log group with retention, X-Ray tracing, and a role that may write only that
 * log group. Callers add grants; nothing else is granted here.
 */
export class ApiFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: that managed policy may create any log
    // group and write to all of them; this function writes to one that already exists.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);

    const options = LAMBDA_BUNDLE_OPTIONS;
    super(scope, id, {
      entry: `${REPO_ROOT}${props.entry}`,
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      role,
      // Source maps are off (sourceMap below), so NODE_OPTIONS=--enable-source-maps is not set.
      environment: { ...props.environment },
      depsLockFilePath: `${REPO_ROOT}package-lock.json`,
      projectRoot: REPO_ROOT,
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: options.target as string,
        minify: options.minify,
        sourceMap: false,
        mainFields: [...(options.mainFields ?? [])],
        banner: (options.banner as { js: string }).js,
        inject: [...(options.inject ?? [])],
        // Nothing external: the SDK v3 clients are bundled and tree-shaken, not the runtime's copy.
        externalModules: [],
        esbuildArgs: {
          ...(options.legalComments ? { '--legal-comments': options.legalComments } : {}),
          ...Object.fromEntries(Object.entries(options.alias ?? {}).map(([from, to]) => [`--alias:${from}`, to])),
        },
      },
    });

    this.acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason: 'nodejs22.x is the runtime the code is built, bundled and tested for; moving to a newer runtime is a deliberate, tested change.',
      },
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions.' },
    );
  }

  /** Acknowledges cdk-nag findings on the function and on its role (a sibling construct), each with its reason. */
  acknowledge(...acknowledgments: Acknowledgment[]): void {
    Validations.of(this).acknowledge(...acknowledgments);
    Validations.of(this.role!).acknowledge(...acknowledgments);
  }
}
