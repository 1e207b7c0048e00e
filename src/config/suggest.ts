// "Did you mean …?" for mistyped names: the closest candidate by edit distance, or the one whose
// last part matches (e.g. "poll_interval" → "bridge.poll_interval").

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const wanted = input.trim().toLowerCase().replace(/-/g, '_');
  if (!wanted) return undefined;
  const bySuffix = candidates.filter((candidate) => candidate.endsWith(`.${wanted}`));
  if (bySuffix.length === 1) return bySuffix[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = Math.min(editDistance(wanted, candidate), editDistance(wanted, candidate.split('.').pop()!) + 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return bestDistance <= limit ? best : undefined;
}
