/**
 * Monitoring: brings execution snapshots up to date. With `nodes`, walks the
 * whole tree — sub-workflows, launch-plan children (their own executions),
 * dynamic workflows, branches, gates, array nodes and the failure node —
 * fetching node data and task attempts concurrently, with every admin call
 * going through one shared bound (so deep trees stay bounded too).
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import type { NodeExecution } from "@flyteidl/admin/node_execution_pb.ts";
import {
  type Identifier,
  ResourceType,
  type WorkflowExecutionIdentifier,
} from "@flyteidl/core/identifier_pb.ts";
import type { Node } from "@flyteidl/core/workflow_pb.ts";
import {
  type TypedInterface,
  TypedInterfaceSchema,
} from "@flyteidl/core/interface_pb.ts";
import type { RemoteContext } from "./context.ts";
import type { Entities } from "./entities.ts";
import {
  formatEntityId,
  formatExecutionId,
  formatNodeExecutionId,
} from "./ids.ts";
import { consoleUrl } from "./console.ts";
import { paginate } from "./paging.ts";
import {
  RemoteExecution,
  RemoteNodeExecution,
  RemoteTaskExecution,
} from "./models.ts";
import { type ExecutionMetrics, getExecutionMetrics } from "./metrics.ts";
import {
  classify,
  interfaceOfNode,
  nodeOutputs,
  offloaded,
  refresh,
  sameId,
  type Scope,
  scopeOfNodes,
  scopeOfTemplate,
} from "./sync_tree.ts";
import type { SyncOptions } from "./sync_options.ts";

export type { SyncOptions } from "./sync_options.ts";

/**
 * The monitoring sub-client (`remote.monitor`): `syncExecution` (with
 * `nodes`, the whole node tree: every node kind, nested and child
 * executions), `syncNodeExecution`, `syncTaskExecution`, and
 * `getExecutionMetrics` (the span tree with `explain()`). The facade's
 * `syncExecution` is this one.
 *
 * @example
 * ```ts
 * import type { Monitor } from "./sync.ts";
 * import type { RemoteExecution } from "./models.ts";
 * async function nodeCount(m: Monitor, e: RemoteExecution) {
 *   const s = await m.syncExecution(e, { nodes: true });
 *   return [...s.allNodeExecutions()].length;
 * }
 * ```
 */
export class Monitor {
  readonly #ctx: RemoteContext;
  readonly #entities: Entities;
  readonly #interfaces = new Map<string, Promise<TypedInterface | undefined>>();

  /** Creates the sub-client. */
  constructor(ctx: RemoteContext, entities: Entities) {
    this.#ctx = ctx;
    this.#entities = entities;
  }

  #rpc<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.#ctx.call(what, fn);
  }

  /**
   * The interface of what an execution ran (given its spec's launch plan
   * id): its task's, or its launch plan's. Kept per id: a registered
   * version's interface never changes (only a launch plan's state does).
   */
  interfaceOf(
    lp: Identifier | undefined,
  ): Promise<TypedInterface | undefined> {
    if (!lp?.name) return Promise.resolve(undefined);
    const key = formatEntityId(lp);
    let p = this.#interfaces.get(key);
    if (!p) {
      p = this.#loadInterface(lp);
      this.#interfaces.set(key, p);
      p.catch(() => this.#interfaces.delete(key));
    }
    return p;
  }

  async #loadInterface(lp: Identifier): Promise<TypedInterface | undefined> {
    if (lp.resourceType === ResourceType.TASK) {
      return (await this.#entities.getTaskById(lp)).interface;
    }
    const plan = await this.#entities.getLaunchPlanById(lp);
    return create(TypedInterfaceSchema, {
      inputs: {
        variables: Object.fromEntries(
          Object.entries(plan.raw.closure?.expectedInputs?.parameters ?? {})
            .filter(([, p]) => p.var)
            .map(([k, p]) => [k, p.var!]),
        ),
      },
      outputs: plan.raw.closure?.expectedOutputs,
    });
  }

  /**
   * The span tree of an execution (GetExecutionMetrics, `depth` levels
   * [10]), with `explain()`: where the time went.
   *
   * @example
   * ```ts
   * import type { Monitor } from "./sync.ts";
   * declare const m: Monitor;
   * declare const e: import("./models.ts").RemoteExecution;
   * console.log((await m.getExecutionMetrics(e)).explain());
   * ```
   */
  getExecutionMetrics(
    execution: RemoteExecution | WorkflowExecutionIdentifier,
    options?: { depth?: number },
  ): Promise<ExecutionMetrics> {
    return getExecutionMetrics(this.#ctx, execution, options);
  }

  /**
   * Fetches the execution's latest state and data (one GetExecution, one
   * GetExecutionData, and the interface once); with `nodes`, the whole node
   * tree too.
   */
  async syncExecution<O extends Record<string, unknown>>(
    target: RemoteExecution<O> | WorkflowExecutionIdentifier,
    options: SyncOptions = {},
  ): Promise<RemoteExecution<O>> {
    const id = target instanceof RemoteExecution ? target.id : target;
    const what = formatExecutionId(id);
    const signal = options.signal;
    // The top-level node list needs only the id: it goes out with the
    // first round trip (handled here so that a failed GetExecution leaves
    // no unhandled rejection behind).
    const nodeList = options.nodes
      ? this.#listNodes(id, "", signal)
      : undefined;
    nodeList?.catch(() => {});
    const [raw, data] = await Promise.all([
      this.#rpc(
        `get execution ${what}`,
        () => this.#ctx.services.admin.getExecution({ id }, { signal }),
      ),
      this.#rpc(
        `get execution data ${what}`,
        () => this.#ctx.services.admin.getExecutionData({ id }, { signal }),
      ),
    ]);
    const exec = target instanceof RemoteExecution
      ? target
      : new RemoteExecution<O>(raw);
    exec.raw = raw;
    exec.consoleUrl ||= consoleUrl(this.#ctx.settings.consoleBase, raw.id!);
    // The interface, offloaded data and the node tree need only `raw`:
    // fetched side by side, not one round trip after the other.
    const work: Promise<unknown>[] = [];
    if (!exec.interface) {
      work.push(
        this.interfaceOf(raw.spec?.launchPlan).then(
          (i) => exec.interface ??= i,
          () => undefined,
        ),
      );
    }
    const inputs = data.fullInputs ?? raw.closure?.computedInputs;
    if (inputs) exec.inputLiterals = inputs;
    else {
      work.push(
        offloaded(data.inputs?.url, signal).then((m) => exec.inputLiterals = m),
      );
    }
    const r = raw.closure?.outputResult;
    exec.outputLiterals = data.fullOutputs ??
      (r?.case === "outputData" ? r.value : undefined);
    if (!exec.outputLiterals && exec.isSuccessful) {
      // Too large to inline: admin returns a (signed) URL instead.
      exec.outputsUri = data.outputs?.url || undefined;
      work.push(
        offloaded(data.outputs?.url, signal).then((m) =>
          exec.outputLiterals = m
        ),
      );
    }
    if (nodeList) work.push(this.#syncNodes(exec, options, nodeList));
    await Promise.all(work);
    return exec;
  }

  async #syncNodes(
    exec: RemoteExecution,
    options: SyncOptions,
    nodeList: Promise<NodeExecution[]>,
  ) {
    const wfId = exec.raw.closure?.workflowId;
    const [workflow, raws] = await Promise.all([
      wfId?.name && !exec.workflow
        ? this.#entities.getWorkflowById(wfId).then((w) => w.closure)
        : exec.workflow,
      nodeList,
    ]);
    exec.workflow = workflow;
    const scope = scopeOfTemplate(
      exec.workflow,
      exec.workflow?.primary?.template,
    );
    const fresh = new Map<string, RemoteNodeExecution>();
    await Promise.all(
      raws.map((r) => {
        const n = refresh(exec.nodeExecutions.get(r.id!.nodeId), r);
        fresh.set(r.id!.nodeId, n);
        return this.#syncNode(n, scope, options);
      }),
    );
    exec.nodeExecutions = fresh;
  }

  async #listNodes(
    id: WorkflowExecutionIdentifier,
    uniqueParentId: string,
    signal?: AbortSignal,
  ): Promise<NodeExecution[]> {
    const out: NodeExecution[] = [];
    const it = paginate(async (token, limit) => {
      const r = await this.#rpc(
        `list node executions of ${formatExecutionId(id)}${
          uniqueParentId ? ` under ${uniqueParentId}` : ""
        }`,
        () =>
          this.#ctx.services.admin.listNodeExecutions({
            workflowExecutionId: id,
            uniqueParentId,
            limit,
            token,
          }, { signal }),
      );
      return { items: r.nodeExecutions, token: r.token };
    }, { pageSize: 500, signal });
    for await (const n of it) out.push(n);
    return out;
  }

  /**
   * Brings one node execution up to date: its data, its task attempts, and
   * (for parent nodes) its children, recursively.
   */
  async syncNodeExecution(
    node: RemoteNodeExecution,
    options: Omit<SyncOptions, "nodes"> = {},
  ): Promise<RemoteNodeExecution> {
    const raw = await this.#rpc(
      `get node execution ${formatNodeExecutionId(node.id)}`,
      () =>
        this.#ctx.services.admin.getNodeExecution(
          { id: node.id },
          { signal: options.signal },
        ),
    );
    const fresh = refresh(node, raw);
    const execId = node.id.executionId!;
    let scope: Scope = { nodes: new Map() };
    try {
      const exec = await this.#rpc(
        `get execution ${formatExecutionId(execId)}`,
        () => this.#ctx.services.admin.getExecution({ id: execId }),
      );
      const wfId = exec.closure?.workflowId;
      if (wfId?.name) {
        const wf = (await this.#entities.getWorkflowById(wfId)).closure;
        scope = scopeOfTemplate(wf, wf?.primary?.template);
        if (!scope.nodes.has(fresh.specNodeId)) {
          for (const sub of wf?.subWorkflows ?? []) {
            const s = scopeOfTemplate(wf, sub.template);
            if (s.nodes.has(fresh.specNodeId)) scope = s;
          }
        }
      }
    } catch {
      // Without the workflow the node is still synced, only less precisely classified.
    }
    await this.#syncNode(fresh, scope, {
      nodeData: true,
      taskExecutions: true,
      ...options,
      nodes: true,
    });
    return fresh;
  }

  async #syncNode(
    node: RemoteNodeExecution,
    scope: Scope,
    options: SyncOptions,
  ): Promise<void> {
    const signal = options.signal;
    signal?.throwIfAborted();
    const spec = scope.nodes.get(node.specNodeId);
    node.kind = classify(node.raw, spec);
    node.isFailureNode = !!scope.failureNodeId &&
      node.specNodeId === scope.failureNodeId;
    node.consoleUrl ||= consoleUrl(this.#ctx.settings.consoleBase, node.id);
    node.interface = interfaceOfNode(spec, scope.closure);
    const what = formatNodeExecutionId(node.id);
    const wantData = (options.nodeData ?? false) && node.kind !== "start";
    const work: Promise<unknown>[] = [];

    const dataPromise = wantData
      ? this.#rpc(
        `get node execution data ${what}`,
        () =>
          this.#ctx.services.admin.getNodeExecutionData(
            { id: node.id },
            { signal },
          ),
      ).then((d) => {
        node.inputLiterals = d.fullInputs;
        node.outputLiterals = nodeOutputs(node.raw, d.fullOutputs);
        if (d.dynamicWorkflow?.compiledWorkflow) {
          node.dynamicWorkflow = d.dynamicWorkflow;
        }
      })
      : Promise.resolve();
    work.push(dataPromise);

    if (
      options.taskExecutions &&
      (node.kind === "task" || node.kind === "dynamic" || node.kind === "array")
    ) {
      work.push(this.#syncTaskExecutions(node, scope, options, dataPromise));
    }

    const target = node.raw.closure?.targetMetadata;
    if (
      target?.case === "workflowNodeMetadata" && target.value.executionId?.name
    ) {
      node.kind = "launchplan";
      work.push(
        this.syncExecution(
          node.childExecution ?? target.value.executionId,
          options,
        ).then((child) => {
          node.childExecution = child;
        }),
      );
    }

    if (node.raw.metadata?.isParentNode) {
      work.push((async () => {
        let childScope: Scope;
        switch (node.kind) {
          case "subworkflow": {
            const ref = spec?.target.case === "workflowNode"
              ? spec.target.value.reference.value
              : undefined;
            const sub = scope.closure?.subWorkflows.find((w) =>
              sameId(w.template?.id, ref)
            );
            childScope = scopeOfTemplate(scope.closure, sub?.template);
            break;
          }
          case "dynamic": {
            await dataPromise;
            let wf = node.dynamicWorkflow?.compiledWorkflow;
            if (!wf) {
              // GetNodeExecutionData carries the dynamic workflow (and the
              // node's data, kept since it came anyway).
              const d = await this.#rpc(
                `get dynamic workflow of ${what}`,
                () =>
                  this.#ctx.services.admin.getNodeExecutionData(
                    { id: node.id },
                    { signal },
                  ),
              );
              node.inputLiterals = d.fullInputs;
              node.outputLiterals = nodeOutputs(node.raw, d.fullOutputs);
              node.dynamicWorkflow = d.dynamicWorkflow;
              wf = d.dynamicWorkflow?.compiledWorkflow;
            }
            childScope = scopeOfTemplate(wf, wf?.primary?.template);
            break;
          }
          case "branch": {
            const ie = spec?.target.case === "branchNode"
              ? spec.target.value.ifElse
              : undefined;
            const inner = [
              ie?.case?.thenNode,
              ...(ie?.other ?? []).map((b) => b.thenNode),
              ie?.default.case === "elseNode" ? ie.default.value : undefined,
            ].filter((n): n is Node => !!n);
            childScope = scopeOfNodes(scope.closure, inner);
            break;
          }
          case "array": {
            const sub = spec?.target.case === "arrayNode"
              ? spec.target.value.node
              : undefined;
            childScope = scopeOfNodes(scope.closure, sub ? [sub] : []);
            break;
          }
          default:
            childScope = { closure: scope.closure, nodes: new Map() };
        }
        await this.#syncChildren(node, childScope, options);
      })());
    }
    await Promise.all(work);
  }

  async #syncChildren(
    node: RemoteNodeExecution,
    scope: Scope,
    options: SyncOptions,
  ) {
    const raws = await this.#listNodes(
      node.id.executionId!,
      node.nodeId,
      options.signal,
    );
    const fresh = new Map<string, RemoteNodeExecution>();
    await Promise.all(raws.map((r) => {
      const child = refresh(node.children.get(r.id!.nodeId), r);
      fresh.set(r.id!.nodeId, child);
      return this.#syncNode(child, scope, options);
    }));
    node.children = fresh;
  }

  async #syncTaskExecutions(
    node: RemoteNodeExecution,
    scope: Scope,
    options: SyncOptions,
    nodeData: Promise<unknown>,
  ) {
    const signal = options.signal;
    const raws = [];
    const it = paginate(async (token, limit) => {
      const r = await this.#rpc(
        `list task executions of ${formatNodeExecutionId(node.id)}`,
        () =>
          this.#ctx.services.admin.listTaskExecutions({
            nodeExecutionId: node.id,
            limit,
            token,
          }, { signal }),
      );
      return { items: r.taskExecutions, token: r.token };
    }, { pageSize: 100, signal });
    for await (const t of it) raws.push(t);
    raws.sort((a, b) => (a.id?.retryAttempt ?? 0) - (b.id?.retryAttempt ?? 0));
    node.taskExecutions = raws.map((r) => {
      const t = new RemoteTaskExecution(r);
      t.interface = node.interface;
      t.consoleUrl = consoleUrl(this.#ctx.settings.consoleBase, t.id);
      return t;
    });
    const single = node.taskExecutions.length === 1 && node.kind === "task" &&
      (options.nodeData ?? false);
    await Promise.all(
      node.taskExecutions.map((t) =>
        this.#syncTask(t, scope, options, single ? nodeData : undefined, node)
      ),
    );
  }

  async #syncTask(
    task: RemoteTaskExecution,
    scope: Scope,
    options: SyncOptions,
    nodeData?: Promise<unknown>,
    node?: RemoteNodeExecution,
  ) {
    const signal = options.signal;
    const what = `task execution ${task}`;
    const work: Promise<unknown>[] = [];
    if (nodeData && node && !task.isParent) {
      // The only attempt of a node has the node's inputs and outputs: reuse
      // the node's data instead of a second call.
      work.push(nodeData.then(() => {
        task.inputLiterals = node.inputLiterals;
        task.outputLiterals = task.phase === "SUCCEEDED"
          ? node.outputLiterals
          : undefined;
      }));
    } else if (options.nodeData ?? false) {
      work.push(
        this.#rpc(
          `get data of ${what}`,
          () =>
            this.#ctx.services.admin.getTaskExecutionData(
              { id: task.id },
              { signal },
            ),
        ).then((d) => {
          task.inputLiterals = d.fullInputs;
          const r = task.raw.closure?.outputResult;
          // Only a finished attempt has outputs: admin answers an empty map
          // for one still running or failed.
          task.outputLiterals = task.phase !== "SUCCEEDED"
            ? undefined
            : d.fullOutputs ?? (r?.case === "outputData" ? r.value : undefined);
        }),
      );
    }
    if (task.isParent) {
      work.push((async () => {
        const raws = [];
        const it = paginate(async (token, limit) => {
          const r = await this.#rpc(
            `list node executions of ${what}`,
            () =>
              this.#ctx.services.admin.listNodeExecutionsForTask({
                taskExecutionId: task.id,
                limit,
                token,
              }, { signal }),
          );
          return { items: r.nodeExecutions, token: r.token };
        }, { pageSize: 500, signal });
        for await (const n of it) raws.push(n);
        task.children = raws.map((r) => new RemoteNodeExecution(r));
        await Promise.all(
          task.children.map((c) => this.#syncNode(c, scope, options)),
        );
      })());
    }
    await Promise.all(work);
  }

  /** Re-reads one task attempt (and its data and children). */
  async syncTaskExecution(
    task: RemoteTaskExecution,
    options: Omit<SyncOptions, "nodes"> = {},
  ): Promise<RemoteTaskExecution> {
    const raw = await this.#rpc(
      `get task execution ${task}`,
      () =>
        this.#ctx.services.admin.getTaskExecution(
          { id: task.id },
          { signal: options.signal },
        ),
    );
    const fresh = new RemoteTaskExecution(raw);
    fresh.interface = task.interface;
    fresh.consoleUrl = task.consoleUrl;
    await this.#syncTask(fresh, { nodes: new Map() }, {
      nodeData: true,
      taskExecutions: true,
      ...options,
    });
    return fresh;
  }
}
