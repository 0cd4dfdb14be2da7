import { mergePlanList, type Plan } from './plan.js';
import { rollOne, type SlotInput, type SlotOutcome } from './reconcile-slot.js';

export interface SlotResult {
  input: SlotInput;
  outcome: SlotOutcome;
}

/**
 * Merges the slots' plans and takes at most one rolling-update step (update_config parallelism 1,
 * order stop-first): when no slot is mid-update, the first slot in the given order whose live
 * task is dirty is rolled.
 */
export function combineSlots(slots: readonly SlotResult[]): Plan {
  const plans = slots.map((s) => s.outcome.plan);
  if (slots.some((s) => s.outcome.midUpdate)) return mergePlanList(plans);
  const next = slots.find((s) => s.outcome.updateCandidate);
  const candidate = next?.outcome.updateCandidate;
  if (!next || !candidate) return mergePlanList(plans);
  const rolled = rollOne(next.input, candidate);
  const rest = slots.filter((s) => s !== next).map((s) => s.outcome.plan);
  rest.push({ ...next.outcome.plan, delayed: [], wakeAt: undefined }, rolled);
  return mergePlanList(rest);
}
