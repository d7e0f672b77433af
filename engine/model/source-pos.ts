/** Where something is in the source; every loaded node carries one. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}
