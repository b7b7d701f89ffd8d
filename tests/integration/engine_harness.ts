/**
 * Test harness for the engine before admin lands: a small recorder that
 * implements the AdminService/SignalService RPCs the engine calls (event
 * intake, child executions, signals) behind Connect's router transport, plus
 * builders for compiled closures whose tasks are small Deno scripts.
 *
 * @module
 */
import {
  create,
  fromBinary,
  type MessageInitShape,
  toBinary,
} from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createClient,
  createRouterTransport,
} from "@connectrpc/connect";
import { AdminService } from "@flyteidl/service/admin_pb.ts";
import { SignalService } from "@flyteidl/service/signal_pb.ts";
import type {
  NodeExecutionEvent,
  TaskExecutionEvent,
  WorkflowExecutionEvent,
} from "@flyteidl/event/event_pb.ts";
import {
  ExecutionSchema,
  type ExecutionSpec,
  ExecutionSpecSchema,
} from "@flyteidl/admin/execution_pb.ts";
import { SignalSchema } from "@flyteidl/admin/signal_pb.ts";
import type { LaunchPlan } from "@flyteidl/admin/launch_plan_pb.ts";
import {
  type CompiledWorkflowClosure,
  CompiledWorkflowClosureSchema,
} from "@flyteidl/core/compiler_pb.ts";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
  LiteralSchema,
  type Primitive,
} from "@flyteidl/core/literals_pb.ts";
import {
  WorkflowExecution_Phase as WfPhase,
} from "@flyteidl/core/execution_pb.ts";
import {
  type BranchNodeSchema,
  type Node,
  NodeSchema,
} from "@flyteidl/core/workflow_pb.ts";
import { ComparisonExpression_Operator } from "@flyteidl/core/condition_pb.ts";
import { K8sPodSchema, TaskTemplateSchema } from "@flyteidl/core/tasks_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import {
  type Identifier,
  WorkflowExecutionIdentifierSchema,
} from "@flyteidl/core/identifier_pb.ts";
import { Engine, type EngineOptions } from "../../src/sandbox/engine/mod.ts";
import type { LaunchRequest } from "../../src/sandbox/launcher.ts";
import { repoRoot } from "../helpers/paths.ts";

/** Everything the recorder saw. */
export class Recorder {
  wf: WorkflowExecutionEvent[] = [];
  nodes: NodeExecutionEvent[] = [];
  tasks: TaskExecutionEvent[] = [];
  phases = new Map<string, WfPhase>();
  outputs = new Map<string, string>();
  errors = new Map<string, string>();
  signals = new Map<string, Literal | undefined>();
  launchPlans = new Map<string, CompiledWorkflowClosure>();
  created: Array<{ name: string; spec: ExecutionSpec; inputs?: LiteralMap }> =
    [];
  activeLaunchPlans: LaunchPlan[] = [];
  engine?: Engine;
  dir: string;
  #waiters: Array<() => void> = [];

  constructor(dir: string) {
    this.dir = dir;
  }

  notify() {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** Waits until `pred` holds (re-checked on every event), at most `ms`. */
  async until(pred: () => boolean, ms = 30_000, what = "condition") {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  /** Waits for a terminal workflow phase of `name`. */
  async finished(name: string, ms = 60_000): Promise<WfPhase> {
    const terminal = [
      WfPhase.SUCCEEDED,
      WfPhase.FAILED,
      WfPhase.ABORTED,
      WfPhase.TIMED_OUT,
    ];
    await this.until(
      () => terminal.includes(this.phases.get(name) ?? WfPhase.UNDEFINED),
      ms,
      `execution ${name} to finish`,
    );
    return this.phases.get(name)!;
  }

  nodeEvents(exec: string, nodeId?: string) {
    return this.nodes.filter((e) =>
      e.id?.executionId?.name === exec &&
      (nodeId === undefined || e.id?.nodeId === nodeId)
    );
  }

  taskEvents(exec: string, nodeId?: string) {
    return this.tasks.filter((e) =>
      e.parentNodeExecutionId?.executionId?.name === exec &&
      (nodeId === undefined || e.parentNodeExecutionId?.nodeId === nodeId)
    );
  }

  /** Builds and starts a launch request for a closure. */
  async request(
    name: string,
    closure: CompiledWorkflowClosure,
    inputs: LiteralMap,
    spec: Partial<ExecutionSpec> = {},
  ): Promise<LaunchRequest> {
    const inputsUri = `file://${this.dir}/inputs/${name}/inputs.pb`;
    await Deno.mkdir(`${this.dir}/inputs/${name}`, { recursive: true });
    await Deno.writeFile(
      inputsUri.slice(7),
      toBinary(LiteralMapSchema, inputs),
    );
    return {
      id: create(WorkflowExecutionIdentifierSchema, {
        project: "p",
        domain: "d",
        name,
      }),
      closure,
      spec: create(ExecutionSpecSchema, spec as never),
      inputsUri,
      metadataPrefix: `file://${this.dir}/metadata/p-d-${name}`,
      rawOutputPrefix: `file://${this.dir}/raw`,
    };
  }

  async launch(
    name: string,
    closure: CompiledWorkflowClosure,
    inputs: LiteralMap,
    spec: Partial<ExecutionSpec> = {},
  ) {
    this.phases.set(name, WfPhase.UNDEFINED);
    await this.engine!.launch(await this.request(name, closure, inputs, spec));
  }

  async outputsOf(name: string): Promise<LiteralMap> {
    const uri = this.outputs.get(name);
    if (!uri) throw new Error(`no outputs for ${name}`);
    return fromBinary(LiteralMapSchema, await Deno.readFile(uri.slice(7)));
  }

  routes() {
    return createRouterTransport(({ service }) => {
      service(AdminService, {
        createWorkflowEvent: (req) => {
          const e = req.event!;
          const name = e.executionId!.name;
          const cur = this.phases.get(name);
          if (
            cur !== undefined &&
            [WfPhase.SUCCEEDED, WfPhase.FAILED, WfPhase.ABORTED].includes(cur)
          ) {
            throw new ConnectError("already terminal", Code.FailedPrecondition);
          }
          this.wf.push(e);
          this.phases.set(name, e.phase);
          if (e.outputResult.case === "outputUri") {
            this.outputs.set(name, e.outputResult.value);
          }
          if (e.outputResult.case === "error") {
            this.errors.set(
              name,
              `${e.outputResult.value.code}: ${e.outputResult.value.message}`,
            );
          }
          this.notify();
          return {};
        },
        createNodeEvent: (req) => {
          this.nodes.push(req.event!);
          this.notify();
          return {};
        },
        createTaskEvent: (req) => {
          this.tasks.push(req.event!);
          this.notify();
          return {};
        },
        createExecution: async (req) => {
          const lpKey = req.spec?.launchPlan?.name ?? "";
          const closure = this.launchPlans.get(lpKey);
          if (!closure) {
            throw new ConnectError(`no launch plan ${lpKey}`, Code.NotFound);
          }
          if (this.phases.has(req.name)) {
            throw new ConnectError("exists", Code.AlreadyExists);
          }
          this.created.push({
            name: req.name,
            spec: req.spec!,
            inputs: req.inputs,
          });
          this.phases.set(req.name, WfPhase.UNDEFINED);
          const r = await this.request(
            req.name,
            closure,
            req.inputs ?? lmap({}),
            req.spec,
          );
          r.parentNodeExecution = req.spec?.metadata?.parentNodeExecution;
          await this.engine!.launch(r);
          return {
            id: { project: req.project, domain: req.domain, name: req.name },
          };
        },
        getExecution: (req) => {
          const name = req.id!.name;
          if (!this.phases.has(name)) {
            throw new ConnectError("no such", Code.NotFound);
          }
          const phase = this.phases.get(name)!;
          const out = this.outputs.get(name);
          return create(ExecutionSchema, {
            id: req.id,
            closure: {
              phase,
              outputResult: out
                ? {
                  case: "outputs",
                  value: { data: { case: "uri", value: out } },
                }
                : this.errors.has(name)
                ? {
                  case: "error",
                  value: {
                    code: "ChildFailed",
                    message: this.errors.get(name)!,
                  },
                }
                : { case: undefined },
            },
          });
        },
        listProjects: () => ({
          projects: [{ id: "p", name: "p", domains: [{ id: "d", name: "d" }] }],
        }),
        listActiveLaunchPlans: (req) => ({
          launchPlans: this.activeLaunchPlans.filter((lp) =>
            lp.id?.project === req.project && lp.id?.domain === req.domain
          ),
        }),
        terminateExecution: async (req) => {
          await this.engine!.terminate(req.id!, req.cause);
          return {};
        },
      });
      service(SignalService, {
        getOrCreateSignal: (req) => {
          const id = req.id!.signalId;
          if (!this.signals.has(id)) this.signals.set(id, undefined);
          this.notify();
          return create(SignalSchema, {
            id: req.id,
            type: req.type,
            value: this.signals.get(id),
          });
        },
      });
    });
  }

  async startEngine(extra: Partial<EngineOptions> = {}): Promise<Engine> {
    const transport = this.routes();
    this.engine = await Engine.start({
      admin: createClient(AdminService, transport),
      signals: createClient(SignalService, transport),
      dataDir: `${this.dir}/engine`,
      pollIntervalMs: 50,
      scheduler: false,
      ...extra,
    });
    return this.engine;
  }
}

// ---------------------------------------------------------------- literals

/** A scalar primitive literal. */
function primitive(value: Primitive["value"]): Literal {
  return create(LiteralSchema, {
    value: {
      case: "scalar",
      value: { value: { case: "primitive", value: { value } } },
    },
  });
}

export function int(n: number): Literal {
  return primitive({ case: "integer", value: BigInt(n) });
}

export function bool(b: boolean): Literal {
  return primitive({ case: "boolean", value: b });
}

export function str(s: string): Literal {
  return primitive({ case: "stringValue", value: s });
}

export function ints(ns: number[]): Literal {
  return create(LiteralSchema, {
    value: { case: "collection", value: { literals: ns.map(int) } },
  });
}

export function lmap(literals: Record<string, Literal>): LiteralMap {
  return create(LiteralMapSchema, { literals });
}

export function intOf(l: Literal | undefined): number {
  if (
    l?.value.case === "scalar" && l.value.value.value.case === "primitive" &&
    l.value.value.value.value.value.case === "integer"
  ) return Number(l.value.value.value.value.value.value);
  throw new Error(`not an int literal: ${JSON.stringify(l?.value.case)}`);
}

// ---------------------------------------------------------------- programs

/** The task program every test task runs: `deno run ... task.ts <op> <inputs.pb> <output prefix>`. */
export const TASK_PROGRAM = `
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { ErrorDocumentSchema } from "@flyteidl/core/errors_pb.ts";
const [op, input, outPrefix] = Deno.args;
// Local (file://, the engine alone) or s3:// (the sandbox: its S3 face, named
// by the AWS environment every task gets, as in a demo-cluster pod).
let s3;
async function s3call(u, make) {
  const sdk = await import("@aws-sdk/client-s3");
  s3 ??= new sdk.S3Client({ endpoint: Deno.env.get("AWS_ENDPOINT_URL"), forcePathStyle: true });
  const m = /^s3:\\/\\/([^/]+)\\/(.*)$/.exec(u);
  return await s3.send(make(sdk, { Bucket: m[1], Key: m[2] }));
}
async function readBytes(u) {
  if (!u.startsWith("s3://")) return Deno.readFileSync(u.replace(/^file:\\/\\//, ""));
  const r = await s3call(u, (sdk, at) => new sdk.GetObjectCommand(at));
  return await r.Body.transformToByteArray();
}
async function writeBytes(u, Body) {
  if (!u.startsWith("s3://")) {
    const p = u.replace(/^file:\\/\\//, "");
    Deno.mkdirSync(p.slice(0, p.lastIndexOf("/")), { recursive: true });
    return Deno.writeFileSync(p, Body);
  }
  await s3call(u, (sdk, at) => new sdk.PutObjectCommand({ ...at, Body }));
}
const out = outPrefix.replace(/\\/$/, "");
const inputs = fromBinary(LiteralMapSchema, await readBytes(input));
const idx = Deno.env.get("FLYTE_K8S_ARRAY_INDEX");
function intIn(name) {
  let l = inputs.literals[name];
  if (l?.value.case === "collection" && idx !== undefined) l = l.value.value.literals[Number(idx)];
  return Number(l.value.value.value.value.value.value);
}
async function write(o0) {
  const m = create(LiteralMapSchema, { literals: { o0: { value: { case: "scalar", value: { value: { case: "primitive", value: { value: { case: "integer", value: BigInt(o0) } } } } } } } });
  await writeBytes(out + "/outputs.pb", toBinary(LiteralMapSchema, m));
}
async function fail(code, message, recoverable) {
  const d = create(ErrorDocumentSchema, { error: { code, message, kind: recoverable ? 1 : 0, origin: 1 } });
  await writeBytes(out + "/error.pb", toBinary(ErrorDocumentSchema, d));
}
const attempt = Number(Deno.env.get("FLYTE_ATTEMPT_NUMBER"));
switch (op) {
  case "add": await write(intIn("a") + intIn("b")); break;
  case "double": await write(intIn("x") * 2); break;
  case "inc": await write(intIn("x") + 1); break;
  case "count": {
    Deno.writeTextFileSync(Deno.env.get("COUNT_FILE"), "x", { append: true });
    await write(intIn("x") + 1);
    break;
  }
  case "sleep": await new Promise((r) => setTimeout(r, intIn("x") * 1000)); await write(intIn("x")); break;
  case "flaky": attempt === 0 ? await fail("Flaky", "first attempt fails", true) : await write(intIn("x") + 100); break;
  case "userfail": await fail("Boom", "permanent user failure", false); break;
  case "exit3": console.error("something broke"); Deno.exit(3);
  case "fanout": {
    // A dynamic task: writes futures.pb (DynamicJobSpec) with two nodes.
    const { DynamicJobSpecSchema } = await import("@flyteidl/core/dynamic_job_pb.ts");
    const cmd = JSON.parse(Deno.env.get("TASK_CMD"));
    const intT = { type: { case: "simple", value: 1 } };
    const tpl = (name) => ({
      id: { resourceType: 1, project: "p", domain: "d", name, version: "v1" },
      type: "python-task",
      interface: { inputs: { variables: { x: { type: intT } } }, outputs: { variables: { o0: { type: intT } } } },
      target: { case: "container", value: { image: "local", command: [...cmd, name], args: ["{{.input}}", "{{.outputPrefix}}"] } },
    });
    const ref = (name) => ({ case: "taskNode", value: { reference: { case: "referenceId", value: tpl(name).id } } });
    const spec = create(DynamicJobSpecSchema, {
      nodes: [
        { id: "dn0", inputs: [{ var: "x", binding: { value: { case: "scalar", value: { value: { case: "primitive", value: { value: { case: "integer", value: BigInt(intIn("x")) } } } } } } }], target: ref("double") },
        { id: "dn1", upstreamNodeIds: ["dn0"], inputs: [{ var: "x", binding: { value: { case: "promise", value: { nodeId: "dn0", var: "o0" } } } }], target: ref("inc") },
      ],
      outputs: [{ var: "o0", binding: { value: { case: "promise", value: { nodeId: "dn1", var: "o0" } } } }],
      tasks: [tpl("double"), tpl("inc")],
    });
    await writeBytes(out + "/futures.pb", toBinary(DynamicJobSpecSchema, spec));
    break;
  }
  case "noout": break;
  case "sleepfirst": {
    if (attempt === 0) {
      Deno.writeTextFileSync(Deno.env.get("PID_FILE"), String(Deno.pid));
      await new Promise((r) => setTimeout(r, 120000));
    }
    await write(intIn("x") * 3);
    break;
  }
  case "garbage": await writeBytes(out + "/outputs.pb", new Uint8Array([0xff, 0xff, 0xff])); break;
  case "podenv": await write(Number(Deno.env.get("POD_VALUE")) + intIn("x")); break;
  case "env": await write(Number(Deno.env.get("FLYTE_ATTEMPT_NUMBER")) + (Deno.env.get("FLYTE_INTERNAL_EXECUTION_ID") ? 10 : 0)); break;
}
`;

export async function writeProgram(dir: string): Promise<string> {
  const path = `${dir}/task.js`;
  await Deno.writeTextFile(path, TASK_PROGRAM);
  return path;
}

/** A fresh temp dir (named with `prefix`) with the task program written and a started engine. */
export async function startRecorder(
  prefix: string,
): Promise<{ dir: string; program: string; rec: Recorder }> {
  const dir = await Deno.makeTempDir({ prefix });
  const program = await writeProgram(dir);
  const rec = new Recorder(dir);
  await rec.startEngine();
  return { dir, program, rec };
}

// ---------------------------------------------------------------- closures

let version = 0;

export interface TaskSpecLite {
  name: string;
  op: string;
  inputs: string[];
  /** Input names that are lists (type collection of int). */
  listInputs?: string[];
  /** Output names that are lists (map tasks declare list outputs). */
  listOutputs?: string[];
  outputs?: string[];
  retries?: number;
  cache?: string;
  /** Cache serialization (one computes, the others wait). */
  cacheSerializable?: boolean;
  timeoutSec?: number;
  command?: string[];
  /**
   * Make it a pod task (k8s_pod target, as flytekit writes for a pod
   * template): the command runs as container `primary` of a pod spec with a
   * sidecar; `config` replaces the task config (default names `primary`).
   */
  pod?: { config?: Record<string, string>; env?: Record<string, string> };
}

export function taskId(name: string): Identifier {
  return {
    $typeName: "flyteidl.core.Identifier",
    resourceType: 1,
    project: "p",
    domain: "d",
    name,
    version: "v1",
    org: "",
  } as Identifier;
}

const intType = {
  type: { case: "simple" as const, value: SimpleType.INTEGER },
};
const listType = { type: { case: "collectionType" as const, value: intType } };

export function taskTemplate(program: string, t: TaskSpecLite) {
  const vars = (names: string[], lists: string[] = []) =>
    Object.fromEntries(
      names.map((n) => [n, { type: lists.includes(n) ? listType : intType }]),
    );
  const tpl = create(TaskTemplateSchema, {
    id: taskId(t.name),
    type: "python-task",
    metadata: {
      retries: { retries: t.retries ?? 0 },
      discoverable: t.cache !== undefined,
      discoveryVersion: t.cache ?? "",
      cacheSerializable: t.cacheSerializable ?? false,
      timeout: t.timeoutSec ? { seconds: BigInt(t.timeoutSec) } : undefined,
    },
    interface: {
      inputs: { variables: vars(t.inputs, t.listInputs) },
      outputs: { variables: vars(t.outputs ?? ["o0"], t.listOutputs) },
    },
    target: {
      case: "container",
      value: {
        image: "local",
        command: t.command ?? [
          "deno",
          "run",
          "-A",
          "--no-check",
          "--config",
          `${repoRoot}/deno.json`,
          program,
          t.op,
        ],
        args: t.command ? [] : ["{{.input}}", "{{ .OutputPrefix }}"],
      },
    },
  });
  if (t.pod && tpl.target.case === "container") {
    // flytekit puts the whole command line in the primary container's args.
    const c = tpl.target.value;
    tpl.type = "sidecar";
    tpl.config = t.pod.config ?? { primary_container_name: "primary" };
    tpl.target = {
      case: "k8sPod",
      value: create(K8sPodSchema, {
        podSpec: {
          containers: [
            {
              name: "log-shipper",
              image: "busybox",
              command: ["sh", "-c", "exit 1"],
            },
            {
              name: "primary",
              image: c.image,
              args: [...c.command, ...c.args],
              env: Object.entries(t.pod.env ?? {}).map(([name, value]) => ({
                name,
                value,
              })),
              resources: { limits: { cpu: "1" } },
            },
          ],
        },
      }),
    };
  }
  return tpl;
}

/** A node binding each input either to a literal int or to `node.var`. */
export function taskNode(
  id: string,
  task: string,
  inputs: Record<string, number | string | number[]>,
  extra: Partial<Node> = {},
): Node {
  return create(NodeSchema, {
    id,
    metadata: { name: task },
    upstreamNodeIds: Object.values(inputs).filter((v) => typeof v === "string")
      .map((v) => (v as string).split(".")[0]).filter((n) =>
        n !== "start-node"
      ),
    inputs: Object.entries(inputs).map(([k, v]) => ({
      var: k,
      binding: typeof v === "string"
        ? {
          value: {
            case: "promise",
            value: { nodeId: v.split(".")[0], var: v.split(".")[1] },
          },
        }
        : Array.isArray(v)
        ? {
          value: {
            case: "collection",
            value: {
              bindings: v.map((n) => ({
                value: { case: "scalar", value: int(n).value.value as never },
              })),
            },
          },
        }
        : { value: { case: "scalar", value: int(v).value.value as never } },
    })) as never,
    target: {
      case: "taskNode",
      value: { reference: { case: "referenceId", value: taskId(task) } },
    },
    ...extra,
  } as never);
}

/** Builds a compiled closure: nodes + outputs bound from `node.var`. */
export function closure(
  program: string,
  tasks: TaskSpecLite[],
  nodes: Node[],
  outputs: Record<string, string>,
  extra: {
    inputs?: string[];
    subWorkflows?: CompiledWorkflowClosure["subWorkflows"];
    name?: string;
    failureNode?: Node;
    onFailure?: number;
  } = {},
): CompiledWorkflowClosure {
  const wfId = { ...taskId(extra.name ?? `wf${++version}`), resourceType: 2 };
  return create(CompiledWorkflowClosureSchema, {
    primary: {
      template: {
        id: wfId,
        metadata: { onFailure: extra.onFailure ?? 0 },
        interface: {
          inputs: {
            variables: Object.fromEntries(
              (extra.inputs ?? []).map((n) => [n, { type: intType }]),
            ),
          },
          outputs: {
            variables: Object.fromEntries(
              Object.keys(outputs).map((n) => [n, { type: intType }]),
            ),
          },
        },
        nodes: [{ id: "start-node" }, { id: "end-node" }, ...nodes],
        outputs: Object.entries(outputs).map(([k, v]) => ({
          var: k,
          binding: {
            value: {
              case: "promise",
              value: { nodeId: v.split(".")[0], var: v.split(".")[1] },
            },
          },
        })),
        failureNode: extra.failureNode,
      },
    },
    subWorkflows: extra.subWorkflows ?? [],
    tasks: tasks.map((t) => ({ template: taskTemplate(program, t) })),
  } as never);
}

export { fromBinary, toBinary };

/**
 * A branch node's body: `if x > threshold then thenNode else elseNode`,
 * reading the branch node's own input `x` (as the branch tests use it).
 */
export function greaterThanBranch(
  threshold: number,
  thenNode: Node,
  elseNode: Node,
): MessageInitShape<typeof BranchNodeSchema> {
  return {
    ifElse: {
      case: {
        condition: {
          expr: {
            case: "comparison",
            value: {
              operator: ComparisonExpression_Operator.GT,
              leftValue: { val: { case: "var", value: "x" } },
              rightValue: {
                val: {
                  case: "primitive",
                  value: {
                    value: { case: "integer", value: BigInt(threshold) },
                  },
                },
              },
            },
          },
        },
        thenNode,
      },
      default: { case: "elseNode", value: elseNode },
    },
  };
}
