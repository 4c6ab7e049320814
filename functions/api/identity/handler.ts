import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { handle } from 'hono/aws-lambda';
import { DynamoMailStore } from '../../adapters/dynamodb/mail-store';
import { CognitoDirectory } from '../../adapters/identity/cognito-directory';
import { lambdaRuntime } from '../lambda-runtime';
import { registerIdentityRoutes } from './routes';

const { config, platform, app } = lambdaRuntime();
const directory = new CognitoDirectory(new CognitoIdentityProviderClient({ region: config.AWS_REGION }), config.COGNITO_USER_POOL_ID!);
// Email preferences are the identity context's alone: the other functions do not bundle the mail store.
registerIdentityRoutes(app, { ...platform, directory, mail: new DynamoMailStore(platform.db) }, platform.auth);

export const handler = handle(app);
