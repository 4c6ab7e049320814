import { handle } from 'hono/aws-lambda';
import { defaultProvider } from '../../adapters/aws/lambda-credentials';
import { S3ObjectStore } from '../../adapters/s3/object-store';
import { lambdaRuntime } from '../lambda-runtime';
import { registerCatalogRoutes } from './routes';

const { config, platform, app } = lambdaRuntime();
const objects = new S3ObjectStore({ bucket: config.BUCKET_NAME, region: config.AWS_REGION, credentials: defaultProvider() });
registerCatalogRoutes(app, { ...platform, objects }, platform.auth);

export const handler = handle(app);
