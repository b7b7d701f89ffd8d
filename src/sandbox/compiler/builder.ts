/**
 * The compiler's working state for one workflow: its nodes (wrapped with
 * what compilation learns about them), the edges found so far, and the
 * tasks, launch plans and sub-workflows it may reference.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  type CompiledWorkflow,
  ConnectionSetSchema,
} from "@flyteidl/core/compiler_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import type {
  ParameterMap,
  TypedInterface,
  VariableMap,
} from "@flyteidl/core/interface_pb.ts";
import type { TaskTemplate } from "@flyteidl/core/tasks_pb.ts";
import { type Node, NodeSchema } from "@flyteidl/core/workflow_pb.ts";
import type { Issues } from "./errors.ts";
import { idKey } from "./text.ts";

/** Id of the node standing for the workflow's inputs. */
export const START_NODE = "start-node";
/** Id of the node standing for the workflow's outputs. */
export const END_NODE = "end-node";

/** How bindings of a node turn into edges. */
export enum EdgeDirection {
  Bidirectional,
  Downstream,
  Upstream,
}

/** What the compiler needs of a launch plan a node launches. */
export interface LaunchPlanProvider {
  id: Identifier;
  expectedInputs?: ParameterMap;
  expectedOutputs?: VariableMap;
}

/** Everything a compilation may reference, shared by nested workflows. */
export interface References {
  tasks: Map<string, TaskTemplate>;
  launchPlans: Map<string, LaunchPlanProvider>;
  subWorkflows: Map<string, CompiledWorkflow>;
  /**
   * Compiles a sub-workflow a node refers to (workflow.ts's validateWorkflow,
   * passed in so node checks need not import the workflow compiler).
   */
  compileSubWorkflow: (
    refs: References,
    compiled: CompiledWorkflow,
    issues: Issues,
  ) => WorkflowBuilder | undefined;
}

/** A node and what compilation learned about it. */
export class NodeBuilder {
  /** The node's effective interface, once known. */
  iface?: TypedInterface;
  /** The task a task node runs. */
  task?: TaskTemplate;
  /** The compiled sub-workflow a workflow node runs. */
  subWorkflow?: WorkflowBuilder;

  constructor(readonly node: Node) {}

  get id(): string {
    return this.node.id;
  }
}

/** One workflow being compiled. */
export class WorkflowBuilder {
  /** Top-level nodes (and start/end) by id. */
  readonly nodes: Map<string, NodeBuilder> = new Map();
  readonly #builders: Map<Node, NodeBuilder> = new Map();
  readonly downstream: Map<string, Set<string>> = new Map();
  readonly upstream: Map<string, Set<string>> = new Map();
  /** Sub-workflows compiled from this workflow's nodes. */
  readonly compiledSubWorkflows: Map<string, CompiledWorkflow> = new Map();

  constructor(
    readonly compiled: CompiledWorkflow,
    readonly refs: References,
  ) {}

  /** The builder wrapping `node` (one per node object). */
  builderFor(node: Node | undefined): NodeBuilder {
    const n = node ?? create(NodeSchema);
    let b = this.#builders.get(n);
    if (b === undefined) {
      b = new NodeBuilder(n);
      this.#builders.set(n, b);
    }
    return b;
  }

  /** Adds a top-level node (a second node with the same id is ignored). */
  addNode(b: NodeBuilder): NodeBuilder {
    if (!this.nodes.has(b.id)) {
      this.nodes.set(b.id, b);
      this.compiled.template!.nodes.push(b.node);
    }
    return b;
  }

  getNode(id: string): NodeBuilder | undefined {
    return this.nodes.get(id);
  }

  getTask(id: Identifier): TaskTemplate | undefined {
    return this.refs.tasks.get(idKey(id));
  }

  getLaunchPlan(id: Identifier): LaunchPlanProvider | undefined {
    return this.refs.launchPlans.get(idKey(id));
  }

  getSubWorkflow(id: Identifier): CompiledWorkflow | undefined {
    return this.refs.subWorkflows.get(idKey(id));
  }

  addUpstreamEdge(provider: string, dependent: string): void {
    link(this.upstream, dependent, provider || START_NODE);
  }

  addDownstreamEdge(provider: string, dependent: string): void {
    link(this.downstream, provider || START_NODE, dependent);
  }

  addExecutionEdge(from: string, to: string): void {
    this.addDownstreamEdge(from, to);
    this.addUpstreamEdge(from, to);
  }

  /** Writes the edges into the compiled workflow's connections, sorted. */
  writeConnections(): void {
    const toLists = (m: Map<string, Set<string>>) =>
      Object.fromEntries(
        [...m].map(([k, ids]) => [k, { ids: [...ids].sort(compareStrings) }]),
      );
    this.compiled.connections = create(ConnectionSetSchema, {
      downstream: toLists(this.downstream),
      upstream: toLists(this.upstream),
    });
  }
}

function link(m: Map<string, Set<string>>, key: string, value: string) {
  let s = m.get(key);
  if (s === undefined) m.set(key, s = new Set());
  s.add(value);
}

/** Byte-order string comparison (as Go sorts). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
