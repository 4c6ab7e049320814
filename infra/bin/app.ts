/**
 * The CDK app: data (retained), identity, API and web stacks, checked by cdk-nag. `npm run synth`
 * synthesizes it offline; functions are bundled by the local esbuild.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildAccord } from './build-accord';

const app = new App();
await buildAccord(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
