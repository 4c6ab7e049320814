import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface DataStackProps extends StackProps {
  /**
   * Origins allowed to PUT and GET dataset files directly with presigned URLs (the web app's).
   * @default ['*']
   */
  readonly webOrigins?: string[];
}

/** What outlives every deployment: the one table, the dataset bucket and its key. Retained on delete. */
export class DataStack extends Stack {
  readonly table: TableV2;
  readonly bucket: Bucket;
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
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: true,
      globalSecondaryIndexes: [gsi('GSI1'), gsi('GSI2'), gsi('GSI3')],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.key = new Key(this, 'DataKey', { enableKeyRotation: true, description: 'Accord dataset files', removalPolicy: RemovalPolicy.RETAIN });
    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(accessLogs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the access-log bucket itself; logging it would recurse.' });
    this.bucket = new Bucket(this, 'DatasetFiles', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'dataset-files/',
      removalPolicy: RemovalPolicy.RETAIN,
      cors: [
        {
          allowedMethods: [HttpMethods.GET, HttpMethods.PUT, HttpMethods.HEAD],
          allowedOrigins: props.webOrigins ?? ['*'],
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
    });
  }
}
