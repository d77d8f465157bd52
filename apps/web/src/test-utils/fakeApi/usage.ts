// GET /api/keys/{id}/usage: one key's daily activity over a window ending on the snapshot's
// day. Tests set a key's days with `usageFor`; any other known key answers a window of zeros.
import type { DayUsage, KeyUsage, ModelUsage, UsageFigures } from '../../api/types';
import { DAY_MS } from './insights';

export const USAGE_NOTE =
  "From LiteLLM's daily activity (its spend logs). It can differ from the key's spend counter," +
  ' which budgets are checked against (BerriAI/litellm #37144).';

const ZERO: UsageFigures = {
  spend: 0,
  requests: 0,
  successful_requests: 0,
  failed_requests: 0,
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
};

function add(a: UsageFigures, b: UsageFigures): UsageFigures {
  const sum = { ...a };
  for (const name of Object.keys(ZERO) as (keyof UsageFigures)[]) sum[name] = a[name] + b[name];
  return sum;
}

/** Figures with the tokens and successes filled in from what a test gives. */
export function figures(patch: Partial<UsageFigures>): UsageFigures {
  const out = { ...ZERO, ...patch };
  if (patch.successful_requests === undefined) {
    out.successful_requests = out.requests - out.failed_requests;
  }
  if (patch.total_tokens === undefined)
    out.total_tokens = out.prompt_tokens + out.completion_tokens;
  return out;
}

export interface UsageSpec {
  /** Figures by day offset from the window's last day (0 = the snapshot's day). */
  days?: Record<number, Partial<UsageFigures>>;
  /** Figures by model over the window (sorted by spend, at most five). */
  models?: Record<string, Partial<UsageFigures>>;
  /** LiteLLM cannot say: answered as not available, with this reason. */
  unavailable?: string;
}

export function usageAnswer(
  keyId: string,
  windowDays: number,
  fetchedAt: string,
  spec: UsageSpec = {},
): KeyUsage {
  const end = Date.parse(fetchedAt.slice(0, 10));
  const day = (offset: number) => new Date(end - offset * DAY_MS).toISOString().slice(0, 10);
  const days: DayUsage[] = Array.from({ length: windowDays }, (_, i) => {
    const offset = windowDays - 1 - i;
    return { date: day(offset), ...figures(spec.days?.[offset] ?? {}) };
  });
  const top: ModelUsage[] = Object.entries(spec.models ?? {})
    .map(([model, patch]) => ({ model, ...figures(patch) }))
    .sort((a, b) => b.spend - a.spend)
    .slice(0, 5);
  const available = spec.unavailable === undefined;
  return {
    key_id: keyId,
    start_date: day(windowDays - 1),
    end_date: day(0),
    available,
    unavailable_reason: spec.unavailable ?? null,
    days: available ? days : [],
    totals: available ? days.reduce<UsageFigures>((sum, d) => add(sum, d), ZERO) : ZERO,
    top_models: available ? top : [],
    fetched_at: fetchedAt,
    note: USAGE_NOTE,
  };
}
