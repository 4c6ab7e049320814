import { handle } from 'hono/aws-lambda';
import { createApiApp } from '../http/app';
import { registerDocsRoutes } from './routes';

// The docs need no table, bucket or token: only the route definitions.
const app = createApiApp();
registerDocsRoutes(app);

export const handler = handle(app);
