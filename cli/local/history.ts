import type { StateMachine } from "aws-local-stepfunctions";

/** The interpreter's event type is not exported; it is what its execution's event stream yields. */
export type EventLog =
  ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

/** One event in the shape of Step Functions' GetExecutionHistory, so local and AWS runs read alike. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: string;
  type: string;
  [details: string]: unknown;
}

const STATE_TYPE_PREFIX: Record<string, string> = {
  Task: "Task",
  Map: "Map",
  Pass: "Pass",
  Choice: "Choice",
  Fail: "Fail",
  Succeed: "Succeed",
  Parallel: "Parallel",
  Wait: "Wait",
};

/** Every Task of the definition goes through `arn:aws:states:::lambda:invoke`; AWS names it so. */
const LAMBDA_INVOKE = { resourceType: "lambda", resource: "invoke" };

/** Key of the root chain in the per-chain maps; iterations use their index. */
const ROOT = -1;

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/**
 * Converts the interpreter's event log to GetExecutionHistory events. Events of a Map iteration chain
 * through previousEventId within that iteration, as in AWS, which is how `history` groups them by client.
 *
 * The interpreter reports a failed attempt as StateFailed, then StateRetried (before the next attempt) or
 * StateCaught (before the Catch's next state). AWS reports each attempt as TaskScheduled, TaskStarted and
 * TaskSucceeded or TaskFailed, and a caught failure as the TaskFailed followed by TaskStateExited. So
 * StateFailed alone becomes a TaskFailed, StateRetried opens the next attempt, and StateCaught adds nothing:
 * one failed attempt is one TaskFailed.
 */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  private last = new Map<number, number>();
  /** Chains whose current Task attempt failed (no TaskSucceeded when the state exits after a Catch). */
  private attemptFailed = new Set<number>();

  private push(type: string, timestamp: number, details: Record<string, unknown>, chain = ROOT): void {
    const id = this.events.length + 1;
    const previousEventId = this.last.get(chain) ?? this.last.get(ROOT) ?? 0;
    this.events.push({ id, previousEventId, timestamp: new Date(timestamp).toISOString(), type, ...details });
    this.last.set(chain, id);
  }

  private startAttempt(timestamp: number, chain: number): void {
    this.attemptFailed.delete(chain);
    this.push("TaskScheduled", timestamp, { taskScheduledEventDetails: { ...LAMBDA_INVOKE } }, chain);
    this.push("TaskStarted", timestamp, { taskStartedEventDetails: { ...LAMBDA_INVOKE } }, chain);
  }

  record(event: EventLog): void {
    const e = event as EventLog & {
      index?: number;
      state?: { name: string; type: string; input?: unknown; output?: unknown };
      Error?: string;
      Cause?: unknown;
      input?: unknown;
      output?: unknown;
      parentState?: { name: string };
    };
    const prefix = e.state ? (STATE_TYPE_PREFIX[e.state.type] ?? e.state.type) : "";
    const isTask = e.state?.type === "Task";
    const chain = e.index ?? ROOT;
    switch (e.type) {
      case "ExecutionStarted":
        this.push(e.type, e.timestamp, { executionStartedEventDetails: { input: json(e.input) } });
        break;
      case "ExecutionSucceeded":
        this.push(e.type, e.timestamp, { executionSucceededEventDetails: { output: json(e.output) } });
        break;
      case "ExecutionFailed":
        this.push(e.type, e.timestamp, {
          executionFailedEventDetails: { error: e.Error, cause: String(e.Cause ?? "") },
        });
        break;
      case "StateEntered":
        this.push(
          `${prefix}StateEntered`,
          e.timestamp,
          { stateEnteredEventDetails: { name: e.state?.name, input: json(e.state?.input) } },
          chain,
        );
        if (isTask) this.startAttempt(e.timestamp, chain);
        break;
      case "StateExited":
        if (isTask && !this.attemptFailed.has(chain)) {
          this.push("TaskSucceeded", e.timestamp, { taskSucceededEventDetails: { ...LAMBDA_INVOKE } }, chain);
        }
        if (e.state?.type === "Map") this.push("MapStateSucceeded", e.timestamp, {}, chain);
        this.attemptFailed.delete(chain);
        this.push(
          `${prefix}StateExited`,
          e.timestamp,
          { stateExitedEventDetails: { name: e.state?.name, output: json(e.state?.output) } },
          chain,
        );
        break;
      case "StateFailed":
        if (isTask) {
          this.attemptFailed.add(chain);
          this.push(
            "TaskFailed",
            e.timestamp,
            {
              taskFailedEventDetails: {
                ...LAMBDA_INVOKE,
                error: e.Error ?? "States.TaskFailed",
                cause: String(e.Cause ?? ""),
              },
            },
            chain,
          );
        } else if (e.state?.type === "Map") {
          this.push("MapStateFailed", e.timestamp, {}, chain);
        }
        break;
      case "StateRetried":
        if (isTask) this.startAttempt(e.timestamp, chain);
        break;
      case "MapIterationStarted":
        this.last.delete(e.index ?? ROOT);
        this.push(
          e.type,
          e.timestamp,
          { mapIterationEventDetails: { name: e.parentState?.name, index: e.index } },
          e.index,
        );
        break;
      case "MapIterationSucceeded":
      case "MapIterationFailed":
        this.push(
          e.type,
          e.timestamp,
          { mapIterationEventDetails: { name: e.parentState?.name, index: e.index } },
          e.index,
        );
        this.last.delete(e.index ?? ROOT);
        this.attemptFailed.delete(e.index ?? ROOT);
        break;
      default:
        break;
    }
  }
}
