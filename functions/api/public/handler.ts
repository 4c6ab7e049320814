import { handle } from 'hono/aws-lambda';
import { lambdaRuntime } from '../lambda-runtime';
import { registerPublicRoutes } from './routes';

const { config, platform, app } = lambdaRuntime();
registerPublicRoutes(app, { ...platform, publicBaseUrl: config.PUBLIC_BASE_URL ?? '' });

export const handler = handle(app);
