import { handle } from 'hono/aws-lambda';
import { defaultProvider } from '../../adapters/aws/lambda-credentials';
import { EventBridgeNotifier } from '../../adapters/events/eventbridge-notifier';
import { S3ObjectStore } from '../../adapters/s3/object-store';
import { lambdaRuntime } from '../lambda-runtime';
import { registerGrantRoutes } from './routes';

const { config, platform, app } = lambdaRuntime({
  eventBus: (c) => (c.EVENT_BUS_NAME ? new EventBridgeNotifier(c.EVENT_BUS_NAME, c.AWS_REGION) : undefined),
});
const objects = new S3ObjectStore({ bucket: config.BUCKET_NAME, region: config.AWS_REGION, credentials: defaultProvider() });
registerGrantRoutes(app, { ...platform, objects }, platform.auth);

export const handler = handle(app);
