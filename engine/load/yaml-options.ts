import type { LineCounter, ParseOptions, DocumentOptions, SchemaOptions } from 'yaml';

/**
 * How every resource file is parsed (FORMAT.md: YAML 1.2 core schema, merge keys, duplicate keys
 * are errors). One definition, because positions are found by parsing a file again and must
 * see exactly the nodes the first parse saw. prettyErrors is off: it builds a code frame per
 * error with a regular expression that can exhaust memory on hostile input (a few thousand
 * nested brackets crash the process); positions come from the line counter instead.
 */
export const YAML_OPTIONS = (lineCounter: LineCounter): ParseOptions & DocumentOptions & SchemaOptions => ({
  lineCounter,
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
});
