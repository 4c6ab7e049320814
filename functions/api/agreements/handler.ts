import { handle } from 'hono/aws-lambda';
import { EventBridgeNotifier } from '../../adapters/events/eventbridge-notifier';
import { lambdaRuntime } from '../lambda-runtime';
import { registerAgreementRoutes } from './routes';

const { platform, app } = lambdaRuntime({
  eventBus: (c) => (c.EVENT_BUS_NAME ? new EventBridgeNotifier(c.EVENT_BUS_NAME, c.AWS_REGION) : undefined),
});
registerAgreementRoutes(app, platform, platform.auth);

export const handler = handle(app);
