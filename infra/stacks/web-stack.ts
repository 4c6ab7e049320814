import { existsSync } from 'node:fs';
import { RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  OriginRequestPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';

export interface WebStackProps extends StackProps {
  readonly api: HttpApi;
  /**
   * The built web app (`npm run build:web`). The CDK app builds it before synthesis.
   * @default 'web/dist'
   */
  readonly assetsDir?: string;
}

/**
 * The web app from a private bucket behind CloudFront (origin access control), with `/v1/*`
 * forwarded to the HTTP API so the SPA and the API share one origin. Client-side routes fall back
 * to index.html in a viewer-request function, so API 404s stay JSON.
 */
export class WebStack extends Stack {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: WebStackProps) {
    super(scope, id, props);
    const site = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    Validations.of(site).acknowledge({ id: 'AwsSolutions-S1', reason: 'Built static assets only; CloudFront is the only reader and its logs are the record.' });
    const spaFallback = new CloudFrontFunction(this, 'SpaFallback', {
      code: FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (r.uri.indexOf('.') === -1 && r.uri !== '/docs') { r.uri = '/index.html'; } else if (r.uri === '/docs') { r.uri = '/docs/index.html'; } return r; }",
      ),
    });
    const siteOrigin = S3BucketOrigin.withOriginAccessControl(site);
    const apiOrigin = new HttpOrigin(`${props.api.apiId}.execute-api.${this.region}.amazonaws.com`);
    const api = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    this.distribution = new Distribution(this, 'Cdn', {
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: siteOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // The OpenAPI document is a static file of the web build; the rest of /v1 is the API.
        '/v1/openapi.json': { origin: siteOrigin, viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS },
        '/v1/*': api,
        '/health': api,
      },
    });
    for (const [id, reason] of [
      ['AwsSolutions-CFR1', 'A consortium of partner organisations across countries; no geographic restriction applies.'],
      ['AwsSolutions-CFR2', 'WAF is a per-deployment choice (cost); API Gateway throttling limits abuse meanwhile.'],
      ['AwsSolutions-CFR3', 'Access logs are enabled per deployment with a log bucket in the operator account.'],
      ['AwsSolutions-CFR4', 'The default CloudFront certificate is used until a custom domain is attached; it negotiates TLS 1.2+ with modern clients.'],
    ] as const) {
      Validations.of(this.distribution).acknowledge({ id, reason });
    }

    const assetsDir = props.assetsDir ?? 'web/dist';
    if (existsSync(assetsDir)) {
      new BucketDeployment(this, 'DeploySite', { sources: [Source.asset(assetsDir)], destinationBucket: site, distribution: this.distribution });
    }
  }
}
