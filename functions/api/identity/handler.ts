import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { handle } from 'hono/aws-lambda';
import { DynamoMailStore } from '../../adapters/dynamodb/mail-store';
import { EventBridgeNotifier } from '../../adapters/events/eventbridge-notifier';
import { CognitoDirectory } from '../../adapters/identity/cognito-directory';
import { lambdaRuntime } from '../lambda-runtime';
import { registerIdentityRoutes } from './routes';

// Suspension and reinstatement are security notices, emailed through the domain bus.
const { config, platform, app } = lambdaRuntime({
  eventBus: (c) => (c.EVENT_BUS_NAME ? new EventBridgeNotifier(c.EVENT_BUS_NAME, c.AWS_REGION) : undefined),
});
const directory = new CognitoDirectory(new CognitoIdentityProviderClient({ region: config.AWS_REGION }), config.COGNITO_USER_POOL_ID!);
// Email preferences are the identity context's alone: the other functions do not bundle the mail store.
registerIdentityRoutes(app, { ...platform, directory, mail: new DynamoMailStore(platform.db) }, platform.auth);

export const handler = handle(app);
