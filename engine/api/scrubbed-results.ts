import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import { scrubJsonText } from '../model/scrub-json-text.js';

type Serializable = ExecutionResult & { stringify?: (result: ExecutionResult) => string };

/**
 * A yoga plugin that masks known secret values in every answer: data, errors and each event of
 * a subscription, in the strings of the JSON text as it is sent (the scrubber knows each value's
 * JSON-escaped form). A scan of the finished text costs less than a walk of every field, and it
 * covers rows stored before a value was known as a secret, and any error text alike.
 */
export function useScrubbedResults(scrub: (text: string) => string): Plugin {
  const scrubbed = (r: Serializable): Serializable => {
    // The compiled-query plugin puts its own serializer here; keep it and scrub what it writes.
    const stringify = r.stringify ?? JSON.stringify;
    return { ...r, stringify: (x: ExecutionResult) => scrubJsonText(scrub, stringify(x)) };
  };
  return {
    onResultProcess({ result, setResult }) {
      if (isAsyncIterable(result)) setResult(mapAsyncIterator(result, scrubbed));
      else if (Array.isArray(result)) setResult(result.map(scrubbed));
      else setResult(scrubbed(result));
    },
  };
}
