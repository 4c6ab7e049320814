// zod/mini, with English messages. zod/mini is the tree-shakeable form of zod: its schemas carry no
// chainable methods, which makes them several times cheaper to build at a Lambda's cold start
// (BENCHMARKS.md); without a locale it would say only "Invalid input". Every schema imports z from here.
//
// Every exported schema is wrapped in `z.lazy`, so it is built on its first use, not at import: a
// function imports the schemas of its whole context but uses only the request schemas of the route
// it serves (response schemas serve the types and the OpenAPI document), and building them all at
// import cost each cold start 5–9 ms (BENCHMARKS.md). An object schema that others extend or make partial
// has a builder function beside it (`z.partial(proposalFields())`), since those need the object itself.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
