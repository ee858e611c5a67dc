// How a row is coloured: by the state it reports. Shared by screens; the pod rules live here because STATUS text is
// what kubectl prints, and that text is what tells failing from in-progress.
import { THEME } from "./theme.ts";

export type RowState = "normal" | "failing" | "progress" | "done";

/** SGR codes for a row state ("" = plain): the active theme's, read when painted. */
export const ROW_STATE_STYLE: Readonly<Record<RowState, string>> = {
  get normal() {
    return THEME.row;
  },
  get failing() {
    return THEME.rowFailing;
  },
  get progress() {
    return THEME.rowProgress;
  },
  get done() {
    return THEME.rowDone;
  },
};

// Reasons kubectl shows in STATUS for a pod (or, after "Init:", an init container) that is failing.
const FAILING_REASONS = new Set([
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "ErrImageNeverPull",
  "InvalidImageName",
  "Error",
  "OOMKilled",
  "Evicted",
  "Failed",
  "Unknown",
  "NodeLost",
  "UnexpectedAdmissionError",
  "CreateContainerConfigError",
  "CreateContainerError",
  "PreCreateHookError",
  "PreStartHookError",
  "PostStartHookError",
  "RunContainerError",
  "StartError",
  "ContainerCannotRun",
  "ContainerStatusUnknown",
  "DeadlineExceeded",
  "BackOff",
  "NodeAffinity",
  "OutOfcpu",
  "OutOfmemory",
  "Shutdown",
  "Terminated",
]);

const PROGRESS_REASONS = new Set([
  "Pending",
  "ContainerCreating",
  "PodInitializing",
  "Terminating",
  "NotReady",
  "SchedulingGated",
]);

function failingReason(reason: string): boolean {
  // kubectl prints "Signal:9" or "ExitCode:1" for containers that terminated without a reason.
  return FAILING_REASONS.has(reason) || reason.startsWith("Signal:") || reason.startsWith("ExitCode:");
}

export interface PodStateInput {
  status: string;
  readyCount: number;
  totalCount: number;
}

export function podRowState(row: PodStateInput): RowState {
  const s = row.status;
  if (s === "Running") {
    if (row.totalCount > 0 && row.readyCount === 0) return "failing";
    return row.readyCount < row.totalCount ? "progress" : "normal";
  }
  if (s === "Completed" || s === "Succeeded") return "done";
  if (s.startsWith("Init:")) return failingReason(s.slice(5)) ? "failing" : "progress";
  if (failingReason(s)) return "failing";
  if (PROGRESS_REASONS.has(s)) return "progress";
  return "normal";
}
