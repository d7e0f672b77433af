import { closest, distance } from 'fastest-levenshtein';

/** The closest valid name to a typo, when it is close enough to be a plausible intent. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, candidates as string[]);
  const lower = closest(word.toLowerCase(), candidates.map((c) => c.toLowerCase()) as string[]);
  const d = Math.min(distance(word, best), distance(word.toLowerCase(), lower));
  if (d <= Math.max(2, Math.floor(word.length / 3))) return best;
  // A field written short (`webhook` for `webhookUrl`): the one candidate it begins.
  const longer = candidates.filter((c) => word.length >= 4 && c.toLowerCase().startsWith(word.toLowerCase()));
  return longer.length === 1 ? longer[0] : undefined;
}

export const didYouMean = (word: string, candidates: readonly string[]) => {
  const s = suggest(word, candidates);
  return s ? ` Did you mean "${s}"?` : '';
};
