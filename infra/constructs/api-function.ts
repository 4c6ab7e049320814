import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_BUNDLE_OPTIONS } from '../../functions/lambda-entries';

export interface ApiFunctionProps {
  /** Entry file, relative to the repository root. */
  readonly entry: string;
  /** Environment variables (configuration is parsed with zod at cold start). */
  readonly environment: Record<string, string>;
  /**
   * Memory in MB. Measured peak RSS of every function's import and first request is ≈55 MB
   * (BENCHMARKS.md); 256 MB leaves headroom for large pages and buys a proportionally faster CPU
   * for cold starts.
   * @default 256
   */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
}

/**
 * Every Lambda default in one place: Node 22 on ARM, ESM bundle built by the local esbuild with
 * exactly the options the bundle-budget test and the benchmarks use, a log group with retention,
 * X-Ray tracing.
 */
export class ApiFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    const options = LAMBDA_BUNDLE_OPTIONS;
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: props.environment,
      depsLockFilePath: 'package-lock.json',
      projectRoot: '.',
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: options.target as string,
        minify: true,
        sourceMap: false,
        mainFields: [...(options.mainFields ?? [])],
        banner: (options.banner as { js: string }).js,
        // The SDK is bundled and tree-shaken, not taken from the runtime.
        externalModules: [],
        esbuildArgs: Object.fromEntries(Object.entries(options.alias ?? {}).map(([from, to]) => [`--alias:${from}`, to])),
      },
    });
  }
}
