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

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/**
 * Converts the interpreter's event log to GetExecutionHistory events. Events of a Map iteration chain
 * through previousEventId within that iteration, as in AWS, which is how `history` groups them by client.
 */
export class HistoryRecorder {
  readonly events: HistoryEvent[] = [];
  private lastRoot = 0;
  private lastInIteration = new Map<number, number>();

  private push(type: string, timestamp: number, details: Record<string, unknown>, index?: number): void {
    const id = this.events.length + 1;
    const previousEventId =
      index === undefined ? this.lastRoot : (this.lastInIteration.get(index) ?? this.lastRoot);
    this.events.push({ id, previousEventId, timestamp: new Date(timestamp).toISOString(), type, ...details });
    if (index === undefined) this.lastRoot = id;
    else this.lastInIteration.set(index, id);
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
          e.index,
        );
        break;
      case "StateExited":
        this.push(
          `${prefix}StateExited`,
          e.timestamp,
          { stateExitedEventDetails: { name: e.state?.name, output: json(e.state?.output) } },
          e.index,
        );
        break;
      case "StateRetried":
      case "StateFailed":
      case "StateCaught":
        if (e.state?.type === "Task") {
          this.push(
            "TaskFailed",
            e.timestamp,
            {
              taskFailedEventDetails: {
                resourceType: "lambda",
                resource: "invoke",
                error: e.Error ?? "States.TaskFailed",
                cause: String(e.Cause ?? ""),
              },
            },
            e.index,
          );
        }
        break;
      case "MapIterationStarted":
      case "MapIterationSucceeded":
      case "MapIterationFailed":
        this.lastInIteration.delete(e.index ?? -1);
        this.push(e.type, e.timestamp, {
          mapIterationEventDetails: { name: e.parentState?.name, index: e.index },
        });
        if (e.type === "MapIterationStarted" && e.index !== undefined) {
          this.lastInIteration.set(e.index, this.events.length);
        }
        break;
      default:
        break;
    }
  }
}
