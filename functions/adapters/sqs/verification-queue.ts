import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { FileVerificationQueue } from '../../../shared/ports';
import type { FileVerificationJob } from '../../../shared/schemas/dataset';
import { STORE_TIMEOUTS, storeFault } from '../store-faults';

/** The one call the queue makes. */
export type Sqs = { send(command: SendMessageCommand): Promise<unknown> };

/** An SQS client bounded as the stores are: a queue that does not answer is a 503, not a hung request. */
function boundedClient(region: string): SQSClient {
  const client = new SQSClient({
    region,
    requestHandler: { connectionTimeout: STORE_TIMEOUTS.connectionMs, requestTimeout: STORE_TIMEOUTS.requestMs, throwOnRequestTimeout: true },
    maxAttempts: STORE_TIMEOUTS.maxAttempts,
  });
  client.middlewareStack.add(
    (next) => (args) =>
      next(args).catch((error: unknown) => {
        throw storeFault(error) ?? error;
      }),
    { step: 'initialize', priority: 'high', name: 'accordStoreFaults' },
  );
  return client;
}

/**
 * Completed uploads as messages on the verification queue, which the verifier function consumes
 * (infra/stacks/api-stack.ts). The body is the job itself, `{ datasetId, fileId[, discard] }`: no
 * object key travels in a message.
 */
export class SqsVerificationQueue implements FileVerificationQueue {
  constructor(
    private readonly queueUrl: string,
    region: string,
    private readonly client: Sqs = boundedClient(region),
  ) {}

  async enqueue(job: FileVerificationJob): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job) }));
  }
}
