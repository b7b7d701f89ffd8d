/**
 * One task attempt as a local process under Flyte's container contract
 * (propeller's container plugin): `{{.Templates}}` rendered, the pod's
 * environment, fast-registered code, co-pilot data, logs, timeouts, the
 * outcome files, and the attempt's task events.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import { durationMs } from "@bufbuild/protobuf/wkt";
import {
  ExecutionError_ErrorKind as Kind,
  TaskExecution_Phase as TaskPhase,
  type TaskLog,
  TaskLogSchema,
} from "@flyteidl/core/execution_pb.ts";
import {
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import type { Node } from "@flyteidl/core/workflow_pb.ts";
import {
  type TaskTemplate,
  TaskTemplateSchema,
} from "@flyteidl/core/tasks_pb.ts";
import {
  TaskExecutionMetadata_InstanceClass,
} from "@flyteidl/event/event_pb.ts";
import { Aborted, NodeFailure } from "../errors.ts";
import { toExecutionError } from "../events.ts";
import { generatedName, perRetryUniqueKey, shardOf } from "../ids.ts";
import { exists, joinUri, writeProto } from "../storage.ts";
import { renderArg } from "../template.ts";
import {
  expandRuntimeCommand,
  resolveCommand,
  runProcess,
} from "../process.ts";
import { readOutcome } from "../outcome.ts";
import { collectCopilotOutputs, prepareCopilotInputs } from "../copilot.ts";
import { runnableContainer } from "../pod.ts";
import { plainLocalRef } from "../local_refs.ts";
import type { AttemptOpts, RunApi } from "../context.ts";

/**
 * `pyflyte-fast-execute --dest-dir <dir>` names a folder inside the task's
 * container image (flytekit's default is `/root`). Each attempt gets its own
 * container filesystem in Flyte, so the sandbox points the destination at the
 * attempt's own scratch folder: code bundles of concurrent tasks never share
 * (or litter) a machine folder.
 */
function localizeFastExecute(argv: string[], scratch: string): string[] {
  const i = argv.findIndex((a) => /(^|\/)pyflyte-fast-execute$/.test(a));
  if (i < 0) return argv;
  const out = [...argv];
  const end = out.indexOf("--", i);
  for (let j = i + 1; j < (end < 0 ? out.length : end); j++) {
    if (out[j] === "--dest-dir" && j + 1 < out.length) {
      out[j + 1] = `${scratch}/code`;
    } else if (out[j].startsWith("--dest-dir=")) {
      out[j] = `--dest-dir=${scratch}/code`;
    }
  }
  return out;
}
/**
 * The fields every task event of an attempt carries.
 *
 * @example
 * ```ts
 * import { taskEventBase } from "./task_process.ts";
 * console.log(typeof taskEventBase); // "function"
 * ```
 */
export function taskEventBase(run: RunApi, o: AttemptOpts, attempt: number) {
  const interruptibleAttempt = interruptible(run, o.ctx.node, o.task);
  return {
    taskId: o.task.id,
    parentNodeExecutionId: { executionId: run.execId, nodeId: o.uniqueId },
    retryAttempt: attempt,
    taskType: o.task.type,
    eventVersion: 0,
    metadata: {
      generatedName: generatedName(run.execId.name, o.uniqueId, attempt),
      pluginIdentifier: "container",
      instanceClass: interruptibleAttempt
        ? TaskExecutionMetadata_InstanceClass.INTERRUPTIBLE
        : TaskExecutionMetadata_InstanceClass.DEFAULT,
    },
  };
}

function interruptible(
  run: RunApi,
  node: Node,
  task: TaskTemplate,
): boolean {
  if (node.metadata?.interruptibleValue.case === "interruptible") {
    return node.metadata.interruptibleValue.value;
  }
  if (run.req.spec.interruptible !== undefined) {
    return run.req.spec.interruptible;
  }
  if (task.metadata?.interruptibleValue.case === "interruptible") {
    return task.metadata.interruptibleValue.value;
  }
  return false;
}

function rawPrefix(run: RunApi, name: string): string {
  const base = run.req.spec.rawOutputDataConfig?.outputLocationPrefix ||
    run.req.rawOutputPrefix;
  // A plain path for a local store: see local_refs.ts.
  return plainLocalRef(joinUri(base, shardOf(name), name));
}

/**
 * One attempt under Flyte's container contract: render the command, start
 * the process, wait, read the outcome; QUEUED / RUNNING / terminal task
 * events when `o.report`. A dynamic task's futures file is returned as is.
 *
 * @example
 * ```ts
 * import { runAttempt } from "./task_process.ts";
 * console.log(typeof runAttempt); // "function"
 * ```
 */
export async function runAttempt(
  run: RunApi,
  o: AttemptOpts,
  attempt: number,
): Promise<LiteralMap | { futuresUri: string }> {
  const s = run.settings;
  const { task } = o;
  const O = o.outputDir(attempt);
  const name = generatedName(run.execId.name, o.uniqueId, attempt);
  const raw = rawPrefix(run, name);
  const prev = attempt > 0
    ? joinUri(
      rawPrefix(run, generatedName(run.execId.name, o.uniqueId, attempt - 1)),
      "_flytecheckpoints",
    )
    : '""';
  const logDir = `${run.key.replaceAll(":", "/")}/${name}`;
  const stdoutRel = `${logDir}/stdout.log`;
  const stderrRel = `${logDir}/stderr.log`;
  const logs: TaskLog[] = [
    create(TaskLogSchema, { name: "stdout", uri: s.logUrl(stdoutRel) }),
    create(TaskLogSchema, { name: "stderr", uri: s.logUrl(stderrRel) }),
  ];
  const base = taskEventBase(run, o, attempt);
  const report = o.report;
  const release = run.parallel
    ? await run.parallel.acquire(o.ctx.scope.abort.signal)
    : () => {};
  let releaseSlot = () => {};
  let running: Promise<void> = Promise.resolve();
  try {
    if (o.ctx.scope.abort.signal.aborted) {
      throw o.ctx.scope.abort.signal.reason;
    }
    if (report) {
      await s.reporter.task({
        ...base,
        phase: TaskPhase.QUEUED,
        phaseVersion: 0,
        inputValue: { case: "inputUri", value: o.inputUri },
      });
    }
    await o.ctx.markRunning?.();
    o.onPhase?.(attempt, TaskPhase.RUNNING);
    const container = runnableContainer(task);
    const values = {
      input: o.inputUri,
      inputPrefix: o.D,
      outputPrefix: O,
      rawOutputDataPrefix: raw,
      checkpointOutputPrefix: joinUri(raw, "_flytecheckpoints"),
      prevCheckpointPrefix: prev,
      perRetryUniqueKey: perRetryUniqueKey(name),
      taskTemplatePath: joinUri(o.D, "task.pb"),
      namespace: `${run.execId.project}-${run.execId.domain}`,
      inputs: o.itemInputs ?? o.inputs,
    };
    let argv = [...container.command, ...container.args].map((a) =>
      renderArg(a, values)
    );
    if (
      [...container.command, ...container.args].some((a) =>
        /tasktemplatepath/i.test(a)
      )
    ) {
      await writeProto(TaskTemplateSchema, values.taskTemplatePath, task);
    }
    const env: Record<string, string> = { ...s.baseEnv };
    for (const kv of container.env) env[kv.key] = kv.value;
    const wfId = run.req.closure.primary?.template?.id;
    Object.assign(env, {
      FLYTE_INTERNAL_EXECUTION_WORKFLOW:
        `${wfId?.project}:${wfId?.domain}:${wfId?.name}`,
      FLYTE_INTERNAL_EXECUTION_ID: run.execId.name,
      FLYTE_INTERNAL_EXECUTION_PROJECT: run.execId.project,
      FLYTE_INTERNAL_EXECUTION_DOMAIN: run.execId.domain,
      FLYTE_ATTEMPT_NUMBER: String(attempt),
      FLYTE_INTERNAL_TASK_PROJECT: task.id?.project ?? "",
      FLYTE_INTERNAL_TASK_DOMAIN: task.id?.domain ?? "",
      FLYTE_INTERNAL_TASK_NAME: task.id?.name ?? "",
      FLYTE_INTERNAL_TASK_VERSION: task.id?.version ?? "",
    });
    for (const kv of run.req.spec.envs?.values ?? []) env[kv.key] = kv.value;
    if (o.arrayIndex !== undefined) {
      env.BATCH_JOB_ARRAY_INDEX_VAR_NAME = "FLYTE_K8S_ARRAY_INDEX";
      env.FLYTE_K8S_ARRAY_INDEX = String(o.arrayIndex);
    }
    const scratch = `${s.dataDir}/work/${logDir}`;
    await Deno.mkdir(scratch, { recursive: true });
    let copilot: Awaited<ReturnType<typeof prepareCopilotInputs>> | undefined;
    if (container.dataConfig?.enabled) {
      copilot = await prepareCopilotInputs(
        container.dataConfig,
        values.inputs,
        scratch,
      );
      argv = argv.map(copilot.rewrite);
      for (const k of Object.keys(env)) env[k] = copilot.rewrite(env[k]);
    }
    if (argv.length === 0) {
      throw new NodeFailure(
        "EmptyCommand",
        `task ${task.id?.name} has no command or args`,
        Kind.USER,
        false,
      );
    }
    if (s.extraPath.length) {
      env.PATH = [...s.extraPath, env.PATH ?? ""].filter(Boolean).join(":");
    }
    const localized = localizeFastExecute(argv, scratch);
    // With fast registration, the code folder plays the image's working
    // directory: flytekit's `--dest-dir .` (interactive mode, pickled
    // tasks) unpacks there and then loads what it unpacked from `.`.
    let cwd = scratch;
    if (localized !== argv) {
      cwd = `${scratch}/code`;
      await Deno.mkdir(cwd, { recursive: true });
    }
    const mapped = expandRuntimeCommand(
      s.commandMapper(container.image, localized),
    );
    const exe = await resolveCommand(mapped[0], s.extraPath, env.PATH);
    const timeout = o.ctx.node.metadata?.timeout ?? task.metadata?.timeout;
    const stdoutPath = `${s.dataDir}/logs/${stdoutRel}`;
    const stderrPath = `${s.dataDir}/logs/${stderrRel}`;
    let pidSeen = 0;
    releaseSlot = await s.processes.acquire(o.ctx.scope.abort.signal);
    const result = await runProcess({
      argv: [exe, ...mapped.slice(1)],
      env,
      cwd,
      stdoutPath,
      stderrPath,
      timeoutMs: timeout ? durationMs(timeout) : undefined,
      signal: o.ctx.scope.abort.signal,
      onSpawn: (pid) => {
        pidSeen = pid;
        s.store.addProcess(run.key, o.uniqueId, attempt, pid);
        if (report) {
          running = s.reporter.task({
            ...base,
            phase: TaskPhase.RUNNING,
            phaseVersion: 0,
            logs,
            inputValue: { case: "inputUri", value: o.inputUri },
          });
        }
      },
    });
    releaseSlot();
    await running;
    if (pidSeen) s.store.removeProcess(run.key, o.uniqueId, attempt);
    if (result.aborted) {
      throw o.ctx.scope.abort.signal.reason ?? new Aborted("aborted");
    }
    if (copilot && result.code === 0 && !result.timedOut) {
      await collectCopilotOutputs(
        container.dataConfig!,
        task.interface,
        scratch,
        O,
        raw,
      );
    }
    const futuresUri = joinUri(O, "futures.pb");
    if (
      report && result.code === 0 && !result.timedOut &&
      await exists(futuresUri)
    ) {
      await s.reporter.task({
        ...base,
        phase: TaskPhase.SUCCEEDED,
        phaseVersion: 0,
        logs,
      });
      o.onPhase?.(attempt, TaskPhase.SUCCEEDED);
      return { futuresUri };
    }
    const outputs = await readOutcome(result, O, task.interface, stderrPath);
    const outputsUri = joinUri(O, "outputs.pb");
    if (!(await exists(outputsUri))) {
      // No declared outputs and none written: keep the URI readable.
      await writeProto(LiteralMapSchema, outputsUri, outputs);
    }
    if (report) {
      await s.reporter.task({
        ...base,
        phase: TaskPhase.SUCCEEDED,
        phaseVersion: 0,
        logs,
        outputResult: { case: "outputUri", value: joinUri(O, "outputs.pb") },
      });
    }
    o.onPhase?.(attempt, TaskPhase.SUCCEEDED);
    return outputs;
  } catch (e) {
    if (e instanceof Aborted || o.ctx.scope.abort.signal.aborted) {
      if (run.stopping) throw e;
      if (report) {
        await s.reporter.task({
          ...base,
          phase: TaskPhase.ABORTED,
          phaseVersion: 0,
          logs,
          reason: (o.ctx.scope.abort.signal.reason as Error)?.message ??
            "aborted",
        });
      }
      o.onPhase?.(attempt, TaskPhase.ABORTED);
      throw e instanceof Aborted ? e : new Aborted(String(e));
    }
    if (report) {
      await s.reporter.task({
        ...base,
        phase: TaskPhase.FAILED,
        phaseVersion: 0,
        logs,
        outputResult: { case: "error", value: toExecutionError(e) },
      });
    }
    o.onPhase?.(attempt, TaskPhase.FAILED);
    throw e;
  } finally {
    release();
  }
}
