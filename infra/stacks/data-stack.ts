import { Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface DataStackProps extends StackProps {
  /**
   * Origins whose pages may PUT and GET dataset files directly with presigned URLs (the web
   * app's). CORS is not what protects the files: every request must carry a signature the API
   * minted for one key, one method and a few minutes, and S3 answers `*` without credentials
   * support. The web app's CloudFront domain cannot be named here at first deploy (the web stack
   * is created after this one and depends on it), so the default accepts any origin; set the
   * `webOrigin` context to the site's origin once it is known to narrow it.
   * @default ['*']
   */
  readonly webOrigins?: readonly string[];
}

/**
 * What outlives every deployment: the one table, the dataset bucket and its key, all retained
 * when the stack is deleted. Nothing here changes when the code does.
 */
export class DataStack extends Stack {
  /** The one table: `PK`/`SK`, GSI1–3 (functions/adapters/dynamodb/keys.ts lists the access patterns). */
  readonly table: TableV2;
  /** Dataset files under `datasets/{id}/v{n}/…` (uploads land under `staging/` first), SSE-KMS with {@link key}. */
  readonly bucket: Bucket;
  /** The customer-managed key of the dataset files. */
  readonly key: Key;

  constructor(scope: Construct, id: string, props: DataStackProps = {}) {
    super(scope, id, props);
    const gsi = (name: string) => ({
      indexName: name,
      partitionKey: { name: `${name}PK`, type: AttributeType.STRING },
      sortKey: { name: `${name}SK`, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: 'PK', type: AttributeType.STRING },
      sortKey: { name: 'SK', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Epoch seconds on records that may go (idempotency records today); TTL deletion lags, so readers still compare.
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: true,
      // GSI3 (the sparse review queue) is a departure from the brief's two, recorded in docs/design-notes.md.
      globalSecondaryIndexes: [gsi('GSI1'), gsi('GSI2'), gsi('GSI3')],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.key = new Key(this, 'DataKey', {
      enableKeyRotation: true,
      description: 'Accord dataset files',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // S3 server access logs can only be delivered to an SSE-S3 bucket, not SSE-KMS.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Log delivery writes with the LogDeliveryWrite ACL (feature flag serverAccessLogsUseBucketPolicy is off).
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(400) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it would recurse.' });

    this.bucket = new Bucket(this, 'DatasetFiles', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket and period instead of a KMS call per object: cheaper, and fewer KMS throttles.
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'dataset-files/',
      lifecycleRules: [
        // Browser uploads are multipart; an abandoned one keeps its parts (and their cost) until aborted.
        { abortIncompleteMultipartUploadAfter: Duration.days(7) },
        // Uploads land under staging/ and the verifier copies them out within minutes, then deletes
        // them: whatever is left after a day (an upload never completed, a rejected one, a version
        // left behind by a late PUT to a live URL) goes, and so do unfinished multipart uploads.
        {
          id: 'ExpireStaging',
          prefix: 'staging/',
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          allowedMethods: [HttpMethods.GET, HttpMethods.PUT, HttpMethods.HEAD],
          allowedOrigins: [...(props.webOrigins ?? ['*'])],
          allowedHeaders: ['*'],
          // The browser reads each part's ETag to complete a multipart upload.
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
    });
  }
}
