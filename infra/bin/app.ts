/**
 * The CDK app: data (retained), identity, API and web stacks, every one checked by cdk-nag
 * (AwsSolutions) with a reason for each acknowledged finding. `npm run synth` works offline with
 * no AWS account: the stacks are environment-agnostic and the functions are bundled by the local
 * esbuild. Context values are described in build-accord.ts.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildAccord } from './build-accord';

const app = new App();
await buildAccord(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
