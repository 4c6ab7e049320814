import { FileVerificationJobSchema } from '../../shared/schemas/dataset';
import { defaultProvider } from '../adapters/aws/lambda-credentials';
import { systemClock, uuidIds } from '../adapters/crypto';
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log';
import { createDb } from '../adapters/dynamodb/client';
import { DynamoDatasetRepository } from '../adapters/dynamodb/dataset-repository';
import { S3ObjectStore } from '../adapters/s3/object-store';
import { loadConfig } from '../config';
import { verifyUpload } from '../uploads/verify-upload';

// Cold start: configuration parsed (failing fast) and clients built once.
const config = loadConfig();
const db = createDb({ tableName: config.TABLE_NAME, region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
const deps = {
  datasets: new DynamoDatasetRepository(db, new DynamoAuditLog(db)),
  objects: new S3ObjectStore({ bucket: config.BUCKET_NAME, region: config.AWS_REGION, credentials: defaultProvider() }),
  clock: systemClock,
  ids: uuidIds,
};

/** The part of an SQS event the verifier reads. */
interface SqsEvent {
  readonly Records: readonly { readonly messageId: string; readonly body: string }[];
}

const log = (level: 'info' | 'error', message: string, details: Record<string, unknown>) =>
  console.log(JSON.stringify({ level, message, ...details }));

const parseJob = (body: string) => {
  try {
    return FileVerificationJobSchema.safeParse(JSON.parse(body));
  } catch {
    return { success: false as const };
  }
};

/**
 * The verification queue's consumer: verifies each completed upload (copy from staging, hash the
 * copy, record ready or rejected). A message that fails is reported alone (ReportBatchItemFailures),
 * so only it comes back, after the queue's visibility timeout; after three receipts it goes to the
 * dead-letter queue and its file stays `verifying` until the provider completes or removes it again.
 * A malformed message is logged and dropped: retrying it could never succeed.
 */
export const handler = async (event: SqsEvent) => {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const job = parseJob(record.body);
    if (!job.success) {
      log('error', 'malformed verification message dropped', { messageId: record.messageId });
      continue;
    }
    try {
      const result = await verifyUpload(deps, job.data);
      log('info', 'file verification', { datasetId: job.data.datasetId, fileId: job.data.fileId, ...result });
    } catch (error) {
      log('error', 'file verification failed', { datasetId: job.data.datasetId, fileId: job.data.fileId, error: error instanceof Error ? error.message : String(error) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
