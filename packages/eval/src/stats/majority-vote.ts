export interface Vote {
  /** The most frequent answer; null when every answer was null. */
  answer: string | null;
  votes: number;
  /** Answers that voted (non-null). */
  total: number;
  /** Another answer had as many votes; the one seen first won. */
  tie: boolean;
}

/**
 * The most common non-null answer (compare extracted answers, so "42" and "The answer is
 * 42" already agree). Ties go to the answer that reached the top count first in input
 * order, which keeps the vote deterministic.
 */
export function majorityVote(answers: Iterable<string | null>): Vote {
  const counts = new Map<string, number>();
  let best: string | null = null;
  let bestVotes = 0;
  let total = 0;
  for (const answer of answers) {
    if (answer === null) continue;
    total++;
    const votes = (counts.get(answer) ?? 0) + 1;
    counts.set(answer, votes);
    if (votes > bestVotes) {
      best = answer;
      bestVotes = votes;
    }
  }
  let tie = false;
  for (const [answer, votes] of counts) if (answer !== best && votes === bestVotes) tie = true;
  return { answer: best, votes: bestVotes, total, tie };
}
