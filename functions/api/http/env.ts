import type { Caller } from '../../../shared/roles';

/** What middleware puts on the Hono context for the route handlers. */
export interface AppEnv {
  Variables: {
    caller: Caller;
    requestId: string;
  };
}
