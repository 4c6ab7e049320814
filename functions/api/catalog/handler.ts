import { handle } from 'hono/aws-lambda';
import { createS3Client } from '../../adapters/s3/client';
import { S3ObjectStore } from '../../adapters/s3/object-store';
import { lambdaRuntime } from '../lambda-runtime';
import { registerCatalogRoutes } from './routes';

const { config, platform, app } = lambdaRuntime();
const objects = new S3ObjectStore(createS3Client({ region: config.AWS_REGION }), config.BUCKET_NAME);
registerCatalogRoutes(app, { ...platform, objects }, platform.auth);

export const handler = handle(app);
