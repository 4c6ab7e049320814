import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { handle } from 'hono/aws-lambda';
import { CognitoDirectory } from '../../adapters/identity/cognito-directory';
import { lambdaRuntime } from '../lambda-runtime';
import { registerIdentityRoutes } from './routes';

const { config, platform, app } = lambdaRuntime();
const directory = new CognitoDirectory(new CognitoIdentityProviderClient({ region: config.AWS_REGION }), config.COGNITO_USER_POOL_ID!);
registerIdentityRoutes(app, { ...platform, directory }, platform.auth);

export const handler = handle(app);
