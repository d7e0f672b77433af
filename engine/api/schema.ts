import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.js';
// Each import registers its types on the builder.
import './types/revision.js';
import './types/plan.js';
import './types/apply.js';
import './types/event.js';
import './types/resource.js';
import './types/app.js';
import './types/monitor.js';
import './types/job.js';
import './types/notification.js';
import './types/engine.js';
import './types/query.js';
import './types/subscription.js';

let built: GraphQLSchema | undefined;

/** The API's schema (built once: the builder is module state and builds only once). */
export function apiSchema(): GraphQLSchema {
  return (built ??= builder.toSchema({ sortSchema: true }));
}

/** The schema as SDL, the text committed as schema/schema.graphql. */
export const printApiSchema = (): string => `${printSchema(lexicographicSortSchema(apiSchema()))}\n`;
