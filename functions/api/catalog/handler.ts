import { handle } from 'hono/aws-lambda';
import { defaultProvider } from '../../adapters/aws/lambda-credentials';
import { S3ObjectStore } from '../../adapters/s3/object-store';
import { SqsVerificationQueue } from '../../adapters/sqs/verification-queue';
import { lambdaRuntime } from '../lambda-runtime';
import { registerCatalogRoutes } from './routes';

const { config, platform, app } = lambdaRuntime();
// Without the queue, completed uploads would never be verified: fail the cold start, not a request.
if (!config.VERIFICATION_QUEUE_URL) throw new Error('Invalid configuration: VERIFICATION_QUEUE_URL is required by the catalog function');
const objects = new S3ObjectStore({ bucket: config.BUCKET_NAME, region: config.AWS_REGION, credentials: defaultProvider() });
const verification = new SqsVerificationQueue(config.VERIFICATION_QUEUE_URL, config.AWS_REGION);
registerCatalogRoutes(app, { ...platform, objects, verification }, platform.auth);

export const handler = handle(app);
