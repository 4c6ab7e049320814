import { handle } from 'hono/aws-lambda';
import { lambdaRuntime } from '../lambda-runtime';
import { registerNotificationRoutes } from './routes';

const { platform, app } = lambdaRuntime();
registerNotificationRoutes(app, platform, platform.auth);

export const handler = handle(app);
