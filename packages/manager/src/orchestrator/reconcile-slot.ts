import { isTerminalState, taskStateRank, type Service, type Task } from '@shoal/common';
import { newTask } from './new-task.js';
import { emptyPlan, type Plan } from './plan.js';
import { decideRestart, endedInFailure } from './restart-policy.js';
import { isDirty, isOnLostNode, isRunnable, isServing, isStopped, newestFirst, type NodeMap } from './task-facts.js';

/** One replica slot (replicated) or one node (global, slot 0) of a service. */
export interface SlotInput {
  service: Service;
  slot: number;
  /** '' for replicated slots; the node for global ones (new tasks are created assigned to it). */
  nodeId: string;
  tasks: readonly Task[];
  nodes: NodeMap;
  now: number;
  /** May the slot get a new task now (global: the node takes new tasks). */
  canCreate: boolean;
  /** Replace a live task at once when its node is down (replicated) rather than wait for it (global). */
  replaceOnDownNode: boolean;
  /**
   * Replicated only: whether a task must leave its node (drained, or no longer matching). Such a
   * task is moved make-before-break: it keeps running until its replacement runs. Global services
   * leave this out (their tasks on such nodes are shut down by the caller).
   */
  mustMove?: (task: Task) => boolean;
}

export interface SlotOutcome {
  plan: Plan;
  /** A rolling update is under way here: no other slot may start one. */
  midUpdate: boolean;
  /** The live task, when it is dirty and could be replaced by the rolling update. */
  updateCandidate?: Task;
}

function shutdown(plan: Plan, task: Task): void {
  plan.update.push({ taskId: task.id, desiredState: 'shutdown' });
}

function create(input: SlotInput, plan: Plan): void {
  plan.create.push(newTask(input.service, input.slot, input.nodeId, input.now));
}

/** Created by a rolling update and not running yet (or crashing): the update waits for it. */
function isUnfinishedReplacement(live: Task, input: SlotInput): boolean {
  if (isDirty(live, input.service)) return false;
  if (!input.tasks.some((t) => t !== live && isDirty(t, input.service))) return false;
  if (isTerminalState(live.status.state)) return endedInFailure(live);
  return taskStateRank(live.status.state) < taskStateRank('running');
}

function replaceNow(input: SlotInput, plan: Plan, live: Task): SlotOutcome {
  shutdown(plan, live);
  if (input.canCreate) create(input, plan);
  return { plan, midUpdate: isDirty(live, input.service) };
}

function reconcileDead(input: SlotInput, plan: Plan, live: Task): SlotOutcome {
  const dirty = isDirty(live, input.service);
  const decision = decideRestart(live, input.tasks);
  if (decision.restart && input.now >= decision.notBefore) return replaceNow(input, plan, live);
  if (decision.restart) {
    plan.delayed.push({ slot: input.slot, nodeId: input.nodeId, notBefore: decision.notBefore });
    plan.wakeAt = decision.notBefore;
  }
  const outcome: SlotOutcome = { plan, midUpdate: isUnfinishedReplacement(live, input) };
  if (dirty) outcome.updateCandidate = live;
  return outcome;
}

/**
 * Make: a running task that must leave its node keeps running and the slot gets a pending
 * replacement (the scheduler places it elsewhere); the break follows once that one runs (see
 * `pickLive`). A task not yet running serves nothing: it is stopped and replaced at once.
 */
function moveOff(input: SlotInput, plan: Plan, live: Task): SlotOutcome {
  if (!isServing(live)) return replaceNow(input, plan, live);
  if (input.canCreate) create(input, plan);
  return { plan, midUpdate: isDirty(live, input.service) };
}

function reconcileLive(input: SlotInput, plan: Plan, live: Task): SlotOutcome {
  const lost = input.replaceOnDownNode ? isOnLostNode(live, input.nodes) : !input.nodes.has(live.nodeId);
  if (!isTerminalState(live.status.state) && live.nodeId !== '' && lost) return replaceNow(input, plan, live);
  if (!isTerminalState(live.status.state) && input.mustMove?.(live)) return moveOff(input, plan, live);
  if (isTerminalState(live.status.state)) return reconcileDead(input, plan, live);
  if (isDirty(live, input.service)) return { plan, midUpdate: false, updateCandidate: live };
  return { plan, midUpdate: isUnfinishedReplacement(live, input) };
}

function reconcileEmpty(input: SlotInput, plan: Plan, newest: Task | undefined): SlotOutcome {
  if (!newest) {
    if (input.canCreate) create(input, plan);
    return { plan, midUpdate: false };
  }
  const dirty = isDirty(newest, input.service);
  if (dirty && !isStopped(newest, input.nodes)) return { plan, midUpdate: true };
  if (input.canCreate) create(input, plan);
  return { plan, midUpdate: dirty && input.canCreate };
}

interface LivePick {
  live: Task | undefined;
  /** The old task of a move under way: it keeps running until `live`, its replacement, runs. */
  moving?: Task;
}

/**
 * The live task is the newest runnable one, except while a move is under way (replicated only):
 * when the newest does not serve yet (not running, or on a lost node) and an older one runs on a
 * node that is up, the older one
 * is kept running if it must leave its node (the newest is its replacement), or becomes the live
 * task again if its node may keep it after all (drain undone: the replacement is not needed).
 */
function pickLive(input: SlotInput, runnable: readonly Task[]): LivePick {
  const serves = (t: Task) => isServing(t) && !isOnLostNode(t, input.nodes);
  const [newest] = runnable;
  if (!input.mustMove || !newest || serves(newest)) return { live: newest };
  const held = runnable.slice(1).find(serves);
  if (!held) return { live: newest };
  return input.mustMove(held) ? { live: newest, moving: held } : { live: held };
}

/**
 * Reconciles one slot. Its live task is the newest one meant to run; older runnable duplicates are
 * shut down, except the running old task of a move (drain, constraints) until its replacement
 * runs. A live task on a lost node is replaced at once; one that must move gets a replacement; a
 * dead one is replaced as its restart policy says; a slot with no live task gets one (after the
 * old task stopped, when it was stopped for an update: stop-first).
 */
export function reconcileSlot(input: SlotInput): SlotOutcome {
  const plan = emptyPlan();
  const sorted = [...input.tasks].sort(newestFirst);
  const runnable = sorted.filter(isRunnable);
  const { live, moving } = pickLive(input, runnable);
  for (const task of runnable) if (task !== live && task !== moving) shutdown(plan, task);
  return live ? reconcileLive(input, plan, live) : reconcileEmpty(input, plan, sorted[0]);
}

/**
 * The rolling update step: stop-first, one slot at a time. The candidate's task is shut down; if
 * it is already stopped its replacement is created in the same plan, else once it stops.
 */
export function rollOne(input: SlotInput, candidate: Task): Plan {
  const plan = emptyPlan();
  shutdown(plan, candidate);
  if (isStopped(candidate, input.nodes) && input.canCreate) create(input, plan);
  return plan;
}
