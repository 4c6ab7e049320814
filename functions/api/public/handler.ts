import { handle } from 'hono/aws-lambda';
import { lambdaRuntime } from '../lambda-runtime';
import { registerPublicRoutes } from './routes';

const { platform, app } = lambdaRuntime();
registerPublicRoutes(app, platform);

export const handler = handle(app);
