import { handle } from 'hono/aws-lambda';
import { lambdaRuntime } from '../lambda-runtime';
import { registerAgreementRoutes } from './routes';

const { platform, app } = lambdaRuntime();
registerAgreementRoutes(app, platform, platform.auth);

export const handler = handle(app);
