// zod/mini, with English messages. zod/mini is the tree-shakeable form of zod: its schemas carry no
// chainable methods, which makes them several times cheaper to build at a Lambda's cold start
// (BENCHMARKS.md); without a locale it would say only "Invalid input". Every schema imports z from here.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export * from 'zod/mini';
