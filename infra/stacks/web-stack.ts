import { existsSync } from 'node:fs';
import { Annotations, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  OriginRequestPolicy,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { UserPoolClient, UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, type IBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { DOCS_STYLE_HASH } from '../../functions/api/docs/docs-page';
import { API_CSP, webAppCsp } from '../../functions/api/http/security-headers';

export interface WebStackProps extends StackProps {
  /** The HTTP API that `/v1/*` and `/health` are forwarded to. */
  readonly api: HttpApi;
  /** The web app's Cognito client, named in the deployed `/config.json`. */
  readonly client: UserPoolClient;
  /** The hosted UI the web app signs in through, named in the deployed `/config.json`. */
  readonly hostedUi: UserPoolDomain;
  /**
   * The built web app (`npm run build:web`; `npm run synth` builds it first). When the directory
   * does not exist at synthesis, the distribution is created without content and a warning says so.
   * @default 'web/dist'
   */
  readonly assetsDir?: string;
  /** The dataset bucket: browsers upload to it directly, so the pages' CSP lets them connect to it. */
  readonly dataBucket: IBucket;
}

/**
 * A response headers policy with `csp`, HSTS (two years, subdomains), nosniff, no framing and no
 * referrer, overriding whatever the origin sent.
 */
function securityHeadersPolicy(scope: Construct, id: string, csp: string): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, id, {
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.seconds(63_072_000), includeSubdomains: true, override: true },
    },
  });
}

/** Client-side routes are paths whose last segment has no dot; the API reference is a static page. */
const SPA_FALLBACK = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (request.uri === '/docs' || request.uri === '/docs/') request.uri = '/docs/index.html';
  else if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * The web app from a private bucket behind CloudFront (origin access control), with `/v1/*` and
 * `/health` forwarded to the HTTP API so that the SPA and the API share one origin (no CORS for
 * the API). Client-side routes fall back to index.html in a viewer-request function on the
 * site's behaviour only: CloudFront's custom error responses are distribution-wide and would
 * turn the API's JSON 403 and 404 answers into index.html.
 */
export class WebStack extends Stack {
  readonly distribution: Distribution;
  /** Whether the built web app was found and is deployed with this stack. */
  readonly deploysSite: boolean;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const site = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Only built files, rebuilt on every deploy.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    Validations.of(site).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'Holds built static files only and CloudFront is its only reader; the distribution\'s access logs record every request.',
    });
    const logs = new Bucket(this, 'CdnLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logs are delivered with an ACL grant.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the CloudFront log bucket itself; logging it would recurse.' });

    const spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      code: FunctionCode.fromInline(SPA_FALLBACK),
      runtime: FunctionRuntime.JS_2_0,
    });
    const siteOrigin = S3BucketOrigin.withOriginAccessControl(site);
    // The same policies the local server sends (functions/api/http/security-headers.ts): the
    // pages may run only their own script and talk only to their origin, the dataset bucket
    // (direct uploads) and the hosted UI (the token exchange); API answers load nothing.
    const pagesHeaders = securityHeadersPolicy(this, 'PagesHeaders', webAppCsp({
      connect: [`https://${props.dataBucket.bucketRegionalDomainName}`, props.hostedUi.baseUrl()],
      styleHashes: [DOCS_STYLE_HASH],
    }));
    const apiHeaders = securityHeadersPolicy(this, 'ApiHeaders', API_CSP);
    const siteBehavior: BehaviorOptions = {
      origin: siteOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: pagesHeaders,
    };
    // apiEndpoint is https://<id>.execute-api.<region>.<suffix>; the origin wants the bare host.
    const apiHost = Fn.select(2, Fn.split('/', props.api.apiEndpoint));
    const apiBehavior: BehaviorOptions = {
      origin: new HttpOrigin(apiHost),
      // No redirect: a redirected POST loses its body.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // With caching disabled, AllViewerExceptHostHeader forwards Authorization, Idempotency-Key,
      // If-Match and the query string; the Host header must be API Gateway's own.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
    };
    this.distribution = new Distribution(this, 'Cdn', {
      defaultRootObject: 'index.html',
      defaultBehavior: {
        ...siteBehavior,
        functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // Behaviours match in order. The OpenAPI document is a static file of the web build
        // (docs/design-notes.md); the rest of /v1 is the API.
        '/v1/openapi.json': siteBehavior,
        '/v1/*': apiBehavior,
        '/health': apiBehavior,
      },
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cdn/',
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'A consortium of partner organisations across countries: no geographic restriction applies.' },
      { id: 'AwsSolutions-CFR2', reason: 'WAF is a per-deployment cost decision; the API stage throttles and every non-public route needs a valid token meanwhile.' },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The default *.cloudfront.net certificate cannot set a minimum TLS version; attaching a custom domain with an ACM certificate (TLSv1.2_2021) is a deployment step.',
      },
    );

    const siteUrl = `https://${this.distribution.distributionDomainName}`;
    const assetsDir = props.assetsDir ?? 'web/dist';
    this.deploysSite = existsSync(assetsDir);
    if (this.deploysSite) {
      const deployment = new BucketDeployment(this, 'DeploySite', {
        sources: [
          Source.asset(assetsDir),
          // The web app reads this to sign in with the hosted UI instead of the local issuer (web/src/auth/config.ts).
          Source.jsonData('config.json', {
            cognitoDomain: props.hostedUi.baseUrl(),
            clientId: props.client.userPoolClientId,
            redirectUri: `${siteUrl}/auth/callback`,
          }),
        ],
        destinationBucket: site,
        distribution: this.distribution,
      });
      // The deployment's handler is a CDK-managed singleton function; these findings are about it.
      const siteLogicalId = this.resolve(this.getLogicalId(site.node.defaultChild as CfnBucket)) as string;
      Validations.of(deployment.handlerRole.node.scope!).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: 'CDK\'s BucketDeployment handler, run only during deployments, writes its own logs with the basic execution policy.',
        },
        { id: 'AwsSolutions-L1', reason: 'The runtime of CDK\'s BucketDeployment handler is chosen and tested by aws-cdk-lib.' },
        ...(
          [
            ['Action::s3:GetObject*', 'reads the staged site archive and the site bucket'],
            ['Action::s3:GetBucket*', 'reads the staged site archive and the site bucket'],
            ['Action::s3:List*', 'lists the site bucket to prune files the new build no longer has'],
            ['Action::s3:DeleteObject*', 'prunes files the new build no longer has'],
            ['Action::s3:Abort*', 'aborts its own interrupted uploads'],
            [`Resource::<${siteLogicalId}.Arn>/*`, 'writes every object of the site bucket (and only that bucket)'],
            ['Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*', 'reads the staged archive from the CDK bootstrap bucket'],
            ['Resource::*', 'invalidates the distribution (CDK grants cloudfront:CreateInvalidation and GetInvalidation on *)'],
          ] as const
        ).map(([finding, what]) => ({
          id: `AwsSolutions-IAM5[${finding}]`,
          reason: `CDK's BucketDeployment handler, run only during deployments, ${what}.`,
        })),
      );
    } else {
      Annotations.of(this).addWarningV2(
        'accord:web-not-built',
        `${assetsDir} does not exist: the distribution is created without the web app. Run \`npm run build:web\` and synthesize again.`,
      );
    }

    new CfnOutput(this, 'SiteUrl', { value: siteUrl });
    new CfnOutput(this, 'CallbackUrl', {
      value: `${siteUrl}/auth/callback`,
      description: 'Deploy again with -c webOrigin=<SiteUrl> so the hosted UI accepts this callback and dataset uploads accept only this origin.',
    });
  }
}
