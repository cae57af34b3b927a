// "Did you mean" for misspelt names (compatibility.md §9.4), shared by the validator and the renderer's errors:
// the threshold starts at max(2, floor(len/2)); scanning candidates in order, one becomes the best
// when its Levenshtein distance is strictly below the current threshold, which then drops to it.
// myComponant → myComponent (1 < 5); reciept → receipt (2 < 3); mian → nothing (2 is not < 2).

export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let threshold = Math.max(2, Math.floor(name.length / 2));
  let best: string | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(name, candidate);
    if (distance < threshold) {
      best = candidate;
      threshold = distance;
    }
  }
  return best;
}

/** `Did you mean "<best>"?`, or '' when nothing is close enough. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : `Did you mean "${best}"?`;
}

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}
