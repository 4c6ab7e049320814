import { handle } from 'hono/aws-lambda';
import { lambdaRuntime } from '../lambda-runtime';
import { registerProposalRoutes } from './routes';

const { platform, app } = lambdaRuntime();
registerProposalRoutes(app, platform, platform.auth);

export const handler = handle(app);
