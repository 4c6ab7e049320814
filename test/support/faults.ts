import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let counter = 0;

/**
 * Makes the next `times` calls of one DynamoDB command fail before they reach the server, as a
 * network fault or a throttle would: a middleware on the real client, removed once spent. The
 * default error, a DynamoDB server fault, reaches the API as `StoreUnavailableError` (503).
 * Returns how many calls it failed so far.
 */
export function injectFault(
  doc: DynamoDBDocumentClient,
  commandName: string,
  options: { times?: number; skip?: number; error?: () => Error; afterServer?: boolean; insideRetries?: boolean } = {},
): { readonly failed: () => number; remove(): void } {
  const name = `fault-${++counter}`;
  let skip = options.skip ?? 0;
  let left = options.times ?? 1;
  let failed = 0;
  const remove = () => doc.middlewareStack.remove(name);
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && left > 0) {
        if (skip > 0) {
          skip--;
        } else {
          left--;
          failed++;
          if (left === 0) remove();
          // `afterServer`: the call lands, and then its answer is lost (a timeout after the store applied it).
          if (options.afterServer) await next(args);
          throw options.error?.() ?? Object.assign(new Error(`Injected fault in ${commandName}`), { name: 'InternalServerError', $fault: 'server' });
        }
      }
      return next(args);
    },
    // `insideRetries`: the fault fails one attempt, and the SDK retries it as it would a real one.
    // (The handler only reads the command's name and passes its arguments on, the same at either step.)
    (options.insideRetries ? { step: 'finalizeRequest', priority: 'low', name } : { step: 'initialize', name }) as { step: 'initialize'; name: string },
  );
  return { failed: () => failed, remove };
}
