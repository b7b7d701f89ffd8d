/**
 * Reporting to admin: every state change leaves the engine only as a
 * flyteidl event sent through AdminService.CreateWorkflowEvent /
 * CreateNodeEvent / CreateTaskEvent, as propeller reports to FlyteAdmin.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import type { AdminService } from "@flyteidl/service/admin_pb.ts";
import {
  type NodeExecutionEvent,
  NodeExecutionEventSchema,
  type TaskExecutionEvent,
  TaskExecutionEventSchema,
  type WorkflowExecutionEvent,
  WorkflowExecutionEventSchema,
} from "@flyteidl/event/event_pb.ts";
import {
  type ExecutionError,
  ExecutionErrorSchema,
} from "@flyteidl/core/execution_pb.ts";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { NodeFailure } from "./errors.ts";

const MAX_MESSAGE = 100 * 1024;

/**
 * Converts a failure into the ExecutionError carried by events, truncating
 * the message to 100 KB as propeller does.
 *
 * @example
 * ```ts
 * import { toExecutionError } from "./events.ts";
 * toExecutionError(new Error("boom")).message; // "boom"
 * ```
 */
export function toExecutionError(e: unknown): ExecutionError {
  const now = timestampFromMs(Date.now());
  if (e instanceof NodeFailure) {
    return create(ExecutionErrorSchema, {
      code: e.code,
      message: e.message.slice(0, MAX_MESSAGE),
      kind: e.kind,
      timestamp: now,
    });
  }
  return create(ExecutionErrorSchema, {
    code: "SystemError",
    message: String((e as Error)?.message ?? e).slice(0, MAX_MESSAGE),
    kind: 2,
    timestamp: now,
  });
}

/**
 * Sends events to admin, tolerating the answers propeller tolerates
 * (AlreadyExists for a repeated phase, FailedPrecondition for an entity
 * already terminal) and retrying transient errors a few times.
 *
 * @example
 * ```ts
 * import { EventReporter } from "./events.ts";
 * console.log(typeof EventReporter); // "function"
 * ```
 */
export class EventReporter {
  #admin: Client<typeof AdminService>;
  #producerId: string;

  /** Creates a reporter over an AdminService client. */
  constructor(admin: Client<typeof AdminService>, producerId: string) {
    this.#admin = admin;
    this.#producerId = producerId;
  }

  async #send(call: () => Promise<unknown>, what: string): Promise<void> {
    for (let attempt = 0;; attempt++) {
      try {
        await call();
        return;
      } catch (e) {
        const err = ConnectError.from(e);
        if (
          err.code === Code.AlreadyExists ||
          err.code === Code.FailedPrecondition
        ) return;
        if (
          attempt < 4 &&
          (err.code === Code.Unavailable || err.code === Code.Internal ||
            err.code === Code.DeadlineExceeded || err.code === Code.Unknown)
        ) {
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
          continue;
        }
        console.error(`engine: ${what} event rejected: ${err.message}`);
        return;
      }
    }
  }

  /** Reports a workflow execution phase. */
  workflow(
    e: Omit<MessageInitShape<typeof WorkflowExecutionEventSchema>, "$typeName">,
  ): Promise<void> {
    const event: WorkflowExecutionEvent = create(WorkflowExecutionEventSchema, {
      ...e,
      producerId: this.#producerId,
      occurredAt: timestampFromMs(Date.now()),
    });
    return this.#send(
      () =>
        this.#admin.createWorkflowEvent({
          requestId: crypto.randomUUID(),
          event,
        }),
      "workflow",
    );
  }

  /** Reports a node execution phase. */
  node(
    e: Omit<MessageInitShape<typeof NodeExecutionEventSchema>, "$typeName">,
  ): Promise<void> {
    const now = timestampFromMs(Date.now());
    const event: NodeExecutionEvent = create(NodeExecutionEventSchema, {
      ...e,
      producerId: this.#producerId,
      occurredAt: now,
      reportedAt: now,
    });
    return this.#send(
      () =>
        this.#admin.createNodeEvent({ requestId: crypto.randomUUID(), event }),
      "node",
    );
  }

  /** Reports a task execution phase. */
  task(
    e: Omit<MessageInitShape<typeof TaskExecutionEventSchema>, "$typeName">,
  ): Promise<void> {
    const now = timestampFromMs(Date.now());
    const event: TaskExecutionEvent = create(TaskExecutionEventSchema, {
      ...e,
      producerId: this.#producerId,
      occurredAt: now,
      reportedAt: now,
    });
    return this.#send(
      () =>
        this.#admin.createTaskEvent({ requestId: crypto.randomUUID(), event }),
      "task",
    );
  }
}
