import { handle } from 'hono/aws-lambda';
import { lambdaRuntime } from '../lambda-runtime';
import { registerAuditRoutes } from './routes';

const { platform, app } = lambdaRuntime();
registerAuditRoutes(app, platform, platform.auth);

export const handler = handle(app);
