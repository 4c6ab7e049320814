// Peer for the benchmark (not part of Accord): the usual AWS Lambda Powertools for TypeScript example
// that reads one item (Logger, Metrics and Tracer at module level, one GetItem per invocation),
// bundled as such examples are deployed (the SDK's default credential chain, no alias).
// Of the usual variants (Powertools 2.36.0), all three utilities land closest to the 503 KB:
// Logger alone bundled to 354.8 KB, Logger + Metrics 365.4 KB, Logger + Tracer 474.9 KB, all three 485.5 KB.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const logger = new Logger({ serviceName: 'items' });
const metrics = new Metrics({ namespace: 'example', serviceName: 'items' });
const tracer = new Tracer({ serviceName: 'items' });
const doc = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
const tableName = process.env.TABLE_NAME ?? 'items';

/** The Lambda context as Logger takes it (`Context` of `aws-lambda`). */
type LambdaContext = Parameters<Logger['addContext']>[0];

export const handler = async (event: { pathParameters?: { id?: string } }, context: LambdaContext) => {
  logger.addContext(context);
  tracer.annotateColdStart();
  try {
    const id = event.pathParameters?.id;
    if (!id) return { statusCode: 400, body: JSON.stringify({ message: 'id is required' }) };
    const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: { id } }));
    metrics.addMetric(Item ? 'itemFound' : 'itemMissing', MetricUnit.Count, 1);
    logger.info('item read', { id, found: Item !== undefined });
    return Item ? { statusCode: 200, body: JSON.stringify(Item) } : { statusCode: 404, body: JSON.stringify({ message: 'not found' }) };
  } finally {
    metrics.publishStoredMetrics();
  }
};
