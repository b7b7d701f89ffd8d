/**
 * The workflow compiler on hand-built graphs: what it accepts (sub-workflows,
 * launch plans, gates, array, failure and branch nodes, unions) and what it
 * rejects, with errors naming the node and variable.
 */
import { clone, create, equals } from "@bufbuild/protobuf";
import type { CompiledTask } from "@flyteidl/core/compiler_pb.ts";
import { type Identifier, ResourceType } from "@flyteidl/core/identifier_pb.ts";
import {
  type BindingData,
  BindingDataSchema,
  BindingSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  Resources_ResourceName,
  TaskTemplateSchema,
} from "@flyteidl/core/tasks_pb.ts";
import {
  type LiteralType,
  LiteralTypeSchema,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import {
  type Node,
  NodeSchema,
  type WorkflowTemplate,
  WorkflowTemplateSchema,
} from "@flyteidl/core/workflow_pb.ts";
import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../helpers/assert.ts";
import {
  CompileError,
  compileTask,
  compileWorkflow,
  type LaunchPlanReference,
  workflowRequirements,
} from "../../src/sandbox/compiler/mod.ts";

// ---- builders ----

const simple = (s: SimpleType) =>
  create(LiteralTypeSchema, { type: { case: "simple", value: s } });
const INT = simple(SimpleType.INTEGER);
const STR = simple(SimpleType.STRING);
const BOOL = simple(SimpleType.BOOLEAN);
const NONE = simple(SimpleType.NONE);
const list = (t: LiteralType) =>
  create(LiteralTypeSchema, { type: { case: "collectionType", value: t } });
const optional = (t: LiteralType) =>
  create(LiteralTypeSchema, {
    type: {
      case: "unionType",
      value: {
        variants: [
          { type: t.type, structure: { tag: "t" } },
          { type: NONE.type, structure: { tag: "none" } },
        ],
      },
    },
  });

type Vars = Record<string, LiteralType>;
const vars = (v: Vars) => ({
  variables: Object.fromEntries(
    Object.entries(v).map(([k, type]) => [k, { type, description: k }]),
  ),
});
const id = (resourceType: ResourceType, name: string): Identifier =>
  ({
    resourceType,
    project: "p",
    domain: "d",
    name,
    version: "1",
  }) as Identifier;

function task(name: string, inputs: Vars, outputs: Vars): CompiledTask {
  return compileTask(create(TaskTemplateSchema, {
    id: id(ResourceType.TASK, name),
    type: "python-task",
    interface: { inputs: vars(inputs), outputs: vars(outputs) },
    target: {
      case: "container",
      value: { image: "img", args: ["run", name] },
    },
  }));
}

const promise = (nodeId: string, v: string): BindingData =>
  create(BindingDataSchema, {
    value: { case: "promise", value: { nodeId, var: v } },
  });
const int = (n: bigint): BindingData =>
  create(BindingDataSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "primitive",
          value: { value: { case: "integer", value: n } },
        },
      },
    },
  });
const str = (s: string): BindingData =>
  create(BindingDataSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "primitive",
          value: { value: { case: "stringValue", value: s } },
        },
      },
    },
  });
const bindings = (b: Record<string, BindingData>) =>
  Object.entries(b).map(([v, binding]) => ({ var: v, binding }));

function taskNode(
  nodeId: string,
  taskName: string,
  inputs: Record<string, BindingData> = {},
): Node {
  return create(NodeSchema, {
    id: nodeId,
    inputs: bindings(inputs),
    target: {
      case: "taskNode",
      value: {
        reference: {
          case: "referenceId",
          value: id(ResourceType.TASK, taskName),
        },
      },
    },
  });
}

function workflow(
  name: string,
  inputs: Vars,
  outputs: Vars,
  nodes: Node[],
  outputBindings: Record<string, BindingData> = {},
): WorkflowTemplate {
  return create(WorkflowTemplateSchema, {
    id: id(ResourceType.WORKFLOW, name),
    interface: { inputs: vars(inputs), outputs: vars(outputs) },
    nodes,
    outputs: bindings(outputBindings),
  });
}

const square = task("square", { x: INT }, { o0: INT });
const greet = task("greet", { name: STR }, { o0: STR });
const noop = task("noop", {}, {});

function rejects(
  fn: () => unknown,
  kind: string,
  nodeId: string,
  variable?: string,
): CompileError {
  const err = assertThrows(fn, CompileError);
  const found = err.issues.find((i) =>
    i.kind === kind && i.nodeId === nodeId && i.variable === variable
  );
  assert(
    found !== undefined,
    `expected a ${kind} issue on ${nodeId}/${variable}, got: ${err.message}`,
  );
  assertEquals(err.code, "INVALID_ARGUMENT");
  assertStringIncludes(err.message, nodeId);
  if (variable !== undefined) assertStringIncludes(err.message, variable);
  return err;
}

// ---- accepted graphs ----

Deno.test("compiler: a chain gets start/end nodes and connections", () => {
  const wf = workflow("chain", { a: INT }, { out: INT }, [
    taskNode("n1", "square", { x: promise("n0", "o0") }),
    taskNode("n0", "square", { x: promise("", "a") }),
    taskNode("side", "noop"),
  ], { out: promise("n1", "o0") });
  const before = clone(WorkflowTemplateSchema, wf);
  const closure = compileWorkflow(wf, [], [square, noop], []);
  assert(equals(WorkflowTemplateSchema, wf, before), "inputs are not modified");
  const primary = closure.primary!;
  assertEquals(
    primary.template!.nodes.map((n) => n.id),
    ["start-node", "end-node", "n1", "n0", "side"],
  );
  const ids = (m: Record<string, { ids: string[] }>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.ids]));
  assertEquals(ids(primary.connections!.downstream), {
    "start-node": ["n0", "side"],
    n0: ["n1"],
    n1: ["end-node"],
    side: ["end-node"],
  });
  assertEquals(ids(primary.connections!.upstream), {
    n0: ["start-node"],
    n1: ["n0"],
    "end-node": ["n1", "side"],
    side: ["start-node"],
  });
  // A promise on a workflow input names the start node.
  const n0 = primary.template!.nodes.find((n) => n.id === "n0")!;
  const b = n0.inputs[0].binding!.value;
  assert(b.case === "promise" && b.value.nodeId === "start-node");
  assertEquals(closure.tasks.length, 2);
});

Deno.test("compiler: workflowRequirements lists references once, sorted, through sub-workflows", () => {
  const sub = workflow("sub", { x: INT }, { o0: INT }, [
    taskNode("s0", "square", { x: promise("", "x") }),
    taskNode("s1", "greet", { name: str("a") }),
  ], { o0: promise("s0", "o0") });
  const primary = workflow("main", {}, {}, [
    taskNode("n0", "square", { x: int(1n) }),
    create(NodeSchema, {
      id: "n1",
      inputs: bindings({ x: int(2n) }),
      target: {
        case: "workflowNode",
        value: { reference: { case: "subWorkflowRef", value: sub.id! } },
      },
    }),
    create(NodeSchema, {
      id: "n2",
      target: {
        case: "workflowNode",
        value: {
          reference: {
            case: "launchplanRef",
            value: id(ResourceType.LAUNCH_PLAN, "lp"),
          },
        },
      },
    }),
  ]);
  const reqs = workflowRequirements(primary, [sub]);
  assertEquals(reqs.taskIds.map((i) => i.name), ["greet", "square"]);
  assertEquals(reqs.launchPlanIds.map((i) => i.name), ["lp"]);
  rejects(
    () => workflowRequirements(primary, []),
    "WorkflowReferenceNotFound",
    "n1",
  );
});

Deno.test("compiler: sub-workflow nodes compile the sub-workflow and check its interface", () => {
  const sub = workflow("sub", { x: INT }, { o0: INT }, [
    taskNode("s0", "square", { x: promise("", "x") }),
  ], { o0: promise("s0", "o0") });
  const subNode = (input: BindingData) =>
    create(NodeSchema, {
      id: "n0",
      inputs: bindings({ x: input }),
      target: {
        case: "workflowNode",
        value: { reference: { case: "subWorkflowRef", value: sub.id! } },
      },
    });
  const primary = workflow("main", { a: INT }, { out: INT }, [
    subNode(promise("", "a")),
  ], {
    out: promise("n0", "o0"),
  });
  const closure = compileWorkflow(primary, [sub], [square], []);
  const compiledSub = closure.subWorkflows[0];
  assertEquals(compiledSub.template!.nodes.map((n) => n.id), [
    "start-node",
    "end-node",
    "s0",
  ]);
  assertEquals(compiledSub.connections!.downstream["s0"].ids, ["end-node"]);
  rejects(
    () =>
      compileWorkflow(
        workflow("main", {}, {}, [subNode(str("x"))]),
        [sub],
        [square],
        [],
      ),
    "MismatchingTypes",
    "n0",
    "x",
  );
});

Deno.test("compiler: launch-plan nodes expose required inputs and overridden defaults", () => {
  const lpId = id(ResourceType.LAUNCH_PLAN, "lp");
  const lp: LaunchPlanReference = {
    id: lpId,
    interface: {
      inputs: vars({ x: INT, y: INT, z: STR }),
      outputs: vars({ o0: INT }),
    } as never,
    fixedInputs: {
      literals: {
        z: {
          value: {
            case: "scalar",
            value: {
              value: {
                case: "primitive",
                value: { value: { case: "stringValue", value: "fixed" } },
              },
            },
          },
        },
      },
    } as never,
    defaultInputs: {
      parameters: {
        y: { var: { type: INT }, behavior: { case: "default", value: {} } },
      },
    } as never,
  };
  const lpNode = (inputs: Record<string, BindingData>) =>
    create(NodeSchema, {
      id: "n0",
      inputs: bindings(inputs),
      target: {
        case: "workflowNode",
        value: { reference: { case: "launchplanRef", value: lpId } },
      },
    });
  const wf = (inputs: Record<string, BindingData>) =>
    workflow("main", {}, { out: INT }, [lpNode(inputs)], {
      out: promise("n0", "o0"),
    });
  compileWorkflow(wf({ x: int(1n) }), [], [], [lp]);
  compileWorkflow(wf({ x: int(1n), y: int(2n) }), [], [], [lp]);
  rejects(
    () => compileWorkflow(wf({ y: int(2n) }), [], [], [lp]),
    "ParameterNotBound",
    "n0",
    "x",
  );
  rejects(
    () => compileWorkflow(wf({ x: int(1n), z: str("no") }), [], [], [lp]),
    "VariableNameNotFound",
    "n0",
    "z",
  );
  rejects(
    () => compileWorkflow(wf({ x: int(1n) }), [], [], []),
    "WorkflowReferenceNotFound",
    "n0",
  );
});

Deno.test("compiler: gate nodes (approve passes inputs through, signal, sleep)", () => {
  const gate = (nodeId: string, condition: unknown, inputs = {}) =>
    create(NodeSchema, {
      id: nodeId,
      inputs: bindings(inputs),
      target: { case: "gateNode", value: { condition: condition as never } },
    });
  const wf = workflow("gates", { a: INT }, { out: INT, flag: BOOL }, [
    gate("approve", { case: "approve", value: { signalId: "ok" } }, {
      a: promise("", "a"),
    }),
    gate("signal", {
      case: "signal",
      value: { signalId: "s", type: BOOL, outputVariableName: "o0" },
    }),
    gate("sleep", { case: "sleep", value: { duration: { seconds: 1n } } }),
    taskNode("n0", "square", { x: promise("approve", "a") }),
  ], { out: promise("n0", "o0"), flag: promise("signal", "o0") });
  const closure = compileWorkflow(wf, [], [square], []);
  const c = closure.primary!.connections!;
  assertEquals(c.downstream["approve"].ids, ["n0"]);
  assertEquals(c.upstream["approve"].ids, ["start-node"]);
  assertEquals(c.downstream["sleep"].ids, ["end-node"]);
  rejects(
    () =>
      compileWorkflow(
        workflow("g", {}, {}, [gate("g0", { case: undefined })]),
        [],
        [],
        [],
      ),
    "NoConditionFound",
    "g0",
  );
});

Deno.test("compiler: array nodes take the mapped node's interface", () => {
  const mapped = task("mapped", { x: list(INT) }, { o0: list(INT) });
  const arrayNode = create(NodeSchema, {
    id: "n0",
    inputs: bindings({ x: promise("", "xs") }),
    target: {
      case: "arrayNode",
      value: {
        node: taskNode("n0-sub", "mapped", { x: promise("", "xs") }),
        parallelismOption: { case: "parallelism", value: 2 },
      },
    },
  });
  const wf = workflow(
    "arr",
    { xs: list(INT) },
    { out: list(INT) },
    [arrayNode],
    {
      out: promise("n0", "o0"),
    },
  );
  assertEquals(workflowRequirements(wf, []).taskIds.map((i) => i.name), [
    "mapped",
  ]);
  const closure = compileWorkflow(wf, [], [mapped], []);
  assertEquals(closure.primary!.connections!.upstream["n0"].ids, [
    "start-node",
  ]);
  const bad = workflow("arr", { xs: INT }, { out: list(INT) }, [arrayNode], {
    out: promise("n0", "o0"),
  });
  rejects(
    () => compileWorkflow(bad, [], [mapped], []),
    "MismatchingTypes",
    "n0",
    "x",
  );
});

Deno.test("compiler: the failure node gets upstream edges only", () => {
  const wf = workflow("f", { a: INT }, {}, [
    taskNode("n0", "square", { x: promise("", "a") }),
  ]);
  wf.failureNode = taskNode("on-failure", "square", { x: promise("", "a") });
  const closure = compileWorkflow(wf, [], [square], []);
  const c = closure.primary!.connections!;
  assertEquals(c.upstream["on-failure"].ids, ["start-node"]);
  assert(!c.downstream["start-node"].ids.includes("on-failure"));
  const failureNode = closure.primary!.template!.failureNode!;
  const b = failureNode.inputs[0].binding!.value;
  assert(b.case === "promise" && b.value.nodeId === "start-node");
});

Deno.test("compiler: branch nodes rename their nodes and keep common outputs", () => {
  const branch = create(NodeSchema, {
    id: "b",
    inputs: bindings({ a: promise("", "a") }),
    target: {
      case: "branchNode",
      value: {
        ifElse: {
          case: {
            condition: {
              expr: {
                case: "comparison",
                value: {
                  operator: 0,
                  leftValue: { val: { case: "var", value: "a" } },
                  rightValue: {
                    val: {
                      case: "primitive",
                      value: { value: { case: "integer", value: 1n } },
                    },
                  },
                },
              },
            },
            thenNode: taskNode("one", "square", { x: promise("", "a") }),
          },
          default: {
            case: "elseNode",
            value: taskNode("two", "square", { x: int(2n) }),
          },
        },
      },
    },
  });
  const wf = workflow("br", { a: INT }, { out: INT }, [branch], {
    out: promise("b", "o0"),
  });
  const closure = compileWorkflow(wf, [], [square], []);
  const b = closure.primary!.template!.nodes.find((n) => n.id === "b")!;
  assert(b.target.case === "branchNode");
  assertEquals(b.target.value.ifElse!.case!.thenNode!.id, "b-one");
  const c = closure.primary!.connections!;
  assertEquals(c.upstream["b-one"].ids, ["start-node"]);
  assertEquals(c.downstream["b"].ids, ["end-node"]);

  // The branches must agree on output types.
  const greetElse = clone(WorkflowTemplateSchema, wf);
  const gb = greetElse.nodes[0];
  assert(gb.target.case === "branchNode");
  gb.target.value.ifElse!.default = {
    case: "elseNode",
    value: taskNode("two", "greet", { name: str("x") }),
  };
  rejects(
    () => compileWorkflow(greetElse, [], [square, greet], []),
    "MismatchingTypes",
    "b-two",
    "o0",
  );
});

Deno.test("compiler: optional inputs may stay unbound, unions accept a fitting value", () => {
  const opt = task("opt", { x: optional(INT) }, { o0: INT });
  compileWorkflow(
    workflow("o", {}, {}, [taskNode("n0", "opt")]),
    [],
    [opt],
    [],
  );
  compileWorkflow(
    workflow("o", {}, {}, [taskNode("n0", "opt", { x: int(3n) })]),
    [],
    [opt],
    [],
  );
  rejects(
    () =>
      compileWorkflow(
        workflow("o", {}, {}, [taskNode("n0", "opt", { x: str("no") })]),
        [],
        [opt],
        [],
      ),
    "MismatchingTypes",
    "n0",
    "x",
  );
  const takesList = task("takes", { xs: list(INT) }, {});
  const coll = create(BindingDataSchema, {
    value: {
      case: "collection",
      value: { bindings: [int(1n), promise("", "a")] },
    },
  });
  const closure = compileWorkflow(
    workflow("l", { a: INT }, {}, [taskNode("n0", "takes", { xs: coll })]),
    [],
    [takesList],
    [],
  );
  assertEquals(closure.primary!.connections!.upstream["n0"].ids, [
    "start-node",
  ]);
});

// ---- rejected graphs ----

Deno.test("compiler rejects: a binding to an unknown node", () => {
  const wf = workflow("w", {}, {}, [
    taskNode("n1", "square", { x: promise("ghost", "o0") }),
  ]);
  const err = rejects(
    () => compileWorkflow(wf, [], [square], []),
    "NodeReferenceNotFound",
    "n1",
    "x",
  );
  assertStringIncludes(err.message, "ghost");
  assertEquals(err.nodeId, "n1");
  assertEquals(err.variable, "x");
});

Deno.test("compiler rejects: a type mismatch between output and input", () => {
  const wf = workflow("w", {}, {}, [
    taskNode("n0", "greet", { name: str("a") }),
    taskNode("n1", "square", { x: promise("n0", "o0") }),
  ]);
  const err = rejects(
    () => compileWorkflow(wf, [], [square, greet], []),
    "MismatchingTypes",
    "n1",
    "x",
  );
  assertStringIncludes(err.message, "'o0' has type [simple:STRING]");
  assertStringIncludes(err.message, "input variable 'x'");
  rejects(
    () =>
      compileWorkflow(
        workflow("w", {}, {}, [taskNode("n1", "square", { x: str("no") })]),
        [],
        [square],
        [],
      ),
    "MismatchingTypes",
    "n1",
    "x",
  );
});

Deno.test("compiler rejects: a missing input, an unknown input, a twice-bound input", () => {
  rejects(
    () =>
      compileWorkflow(workflow("w", {}, {}, [taskNode("n0", "square")]), [], [
        square,
      ], []),
    "ParameterNotBound",
    "n0",
    "x",
  );
  const extra = taskNode("n0", "square", { x: int(1n), y: int(2n) });
  rejects(
    () => compileWorkflow(workflow("w", {}, {}, [extra]), [], [square], []),
    "VariableNameNotFound",
    "n0",
    "y",
  );
  const twice = taskNode("n0", "square", { x: int(1n) });
  twice.inputs.push(create(BindingSchema, { var: "x", binding: int(2n) }));
  rejects(
    () => compileWorkflow(workflow("w", {}, {}, [twice]), [], [square], []),
    "ParameterBoundMoreThanOnce",
    "n0",
    "x",
  );
  rejects(
    () =>
      compileWorkflow(
        workflow("w", {}, { out: INT }, [
          taskNode("n0", "square", { x: int(1n) }),
        ]),
        [],
        [square],
        [],
      ),
    "ParameterNotBound",
    "end-node",
    "out",
  );
  rejects(
    () =>
      compileWorkflow(
        workflow("w", {}, {}, [
          taskNode("n0", "square", { x: promise("", "nope") }),
        ]),
        [],
        [square],
        [],
      ),
    "VariableNameNotFound",
    "start-node",
    "nope",
  );
});

Deno.test("compiler rejects: a cycle", () => {
  const add = task("add", { x: INT, y: INT }, { o0: INT });
  const wf = workflow("w", { a: INT }, {}, [
    taskNode("n0", "add", { x: promise("", "a"), y: promise("n1", "o0") }),
    taskNode("n1", "add", { x: promise("n0", "o0"), y: int(1n) }),
  ]);
  const err = rejects(
    () => compileWorkflow(wf, [], [add], []),
    "CycleDetected",
    "start-node",
  );
  assertStringIncludes(err.message, "start-node>n0>n1>n0");
});

Deno.test("compiler rejects: an unknown task, naming the node", () => {
  const wf = workflow("w", {}, {}, [taskNode("n0", "missing")]);
  const err = rejects(
    () => compileWorkflow(wf, [], [square], []),
    "TaskReferenceNotFound",
    "n0",
  );
  assertStringIncludes(err.message, 'name:"missing"');
});

Deno.test("compiler rejects: an illegal enum value, a workflow without nodes", () => {
  const color = create(LiteralTypeSchema, {
    type: { case: "enumType", value: { values: ["red", "green"] } },
  });
  const paint = task("paint", { c: color }, {});
  compileWorkflow(
    workflow("w", {}, {}, [taskNode("n0", "paint", { c: str("red") })]),
    [],
    [paint],
    [],
  );
  const err = rejects(
    () =>
      compileWorkflow(
        workflow("w", {}, {}, [taskNode("n0", "paint", { c: str("blue") })]),
        [],
        [paint],
        [],
      ),
    "IllegalEnumValue",
    "n0",
    "c",
  );
  assertStringIncludes(err.message, "blue");
  rejects(
    () => compileWorkflow(workflow("w", {}, {}, []), [], [], []),
    "NoNodesFound",
    'resource_type:WORKFLOW project:"p" domain:"d" name:"w" version:"1"',
  );
});

Deno.test("compileTask rejects a task without image, command or valid resources", () => {
  const t = (container: Record<string, unknown>) =>
    create(TaskTemplateSchema, {
      id: id(ResourceType.TASK, "t"),
      interface: { inputs: vars({ x: INT }), outputs: vars({}) },
      target: { case: "container", value: container as never },
    });
  rejects(
    () => compileTask(t({ args: ["run"] })),
    "ValueRequired",
    "container",
  );
  rejects(() => compileTask(t({ image: "img" })), "ValueRequired", "container");
  const err = rejects(
    () =>
      compileTask(t({
        image: "img",
        args: ["run"],
        resources: {
          requests: [{ name: Resources_ResourceName.MEMORY, value: "lots" }],
        },
      })),
    "UnrecognizedValue",
    "resources.MEMORY",
  );
  assertStringIncludes(err.message, "lots");
  compileTask(t({
    image: "img",
    args: ["run"],
    resources: {
      requests: [
        { name: Resources_ResourceName.CPU, value: "500m" },
        { name: Resources_ResourceName.MEMORY, value: "1.5Gi" },
      ],
    },
  }));
});

Deno.test("compiler: duplicate node ids are reported as such, naming the id (not as an end-node problem)", () => {
  const wf = workflow("dup", { a: INT }, { out: INT }, [
    taskNode("n0", "square", { x: promise("", "a") }),
    taskNode("n0", "square", { x: promise("", "a") }),
  ], { out: promise("n0", "o0") });
  const e = assertThrows(
    () => compileWorkflow(wf, [], [square], []),
    CompileError,
  );
  assertEquals(e.issues.map((i) => i.kind), ["DuplicateId"]);
  assertStringIncludes(e.message, "Node Id: n0");
  assertStringIncludes(e.message, "same id [n0]");
  // The reserved ids cannot be taken either.
  const reserved = workflow("res", {}, {}, [taskNode("end-node", "noop")], {});
  assertStringIncludes(
    assertThrows(() => compileWorkflow(reserved, [], [noop], []), CompileError)
      .message,
    "DuplicateId",
  );
});
