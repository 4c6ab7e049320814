import { S3Client } from '@aws-sdk/client-s3';
import { addLocalS3Middleware } from './bucket-path-middleware';

/**
 * One S3 client per container. Checksums only when S3 requires them: otherwise the SDK adds
 * CRC32 parameters to presigned URLs that a browser's plain PUT cannot satisfy.
 */
export function createS3Client(options: {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): S3Client {
  const client = new S3Client({
    region: options.region,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true, credentials: options.credentials } : {}),
  });
  if (options.endpoint) addLocalS3Middleware(client);
  return client;
}
