/**
 * Container command/args templating as Flyte's plugin machinery does it
 * (propeller-contract.md §1): `{{.Input}}`, `{{.OutputPrefix}}`,
 * `{{.Inputs.<name>}}`, ... case-insensitive, `.` or `$`, optional spaces.
 *
 * @module
 */
import type { Literal, LiteralMap } from "@flyteidl/core/literals_pb.ts";
import { NodeFailure } from "./errors.ts";
import { ExecutionError_ErrorKind } from "@flyteidl/core/execution_pb.ts";

/**
 * The values substituted into a task's command and args.
 *
 * @example
 * ```ts
 * import type { TemplateValues } from "./template.ts";
 * const v: Partial<TemplateValues> = { input: "file:///d/inputs.pb" };
 * ```
 */
export interface TemplateValues {
  /** `{{.Input}}`: URI of inputs.pb. */
  input: string;
  /** `{{.InputPrefix}}`. */
  inputPrefix: string;
  /** `{{.OutputPrefix}}`. */
  outputPrefix: string;
  /** `{{.RawOutputDataPrefix}}`. */
  rawOutputDataPrefix: string;
  /** `{{.CheckpointOutputPrefix}}`. */
  checkpointOutputPrefix: string;
  /** `{{.PrevCheckpointPrefix}}` (`""` when none). */
  prevCheckpointPrefix: string;
  /** `{{.PerRetryUniqueKey}}`. */
  perRetryUniqueKey: string;
  /** `{{.TaskTemplatePath}}`. */
  taskTemplatePath: string;
  /** `{{.Namespace}}`. */
  namespace: string;
  /** Inputs for `{{.Inputs.<name>}}`. */
  inputs: LiteralMap;
}

const SIMPLE: Array<[string, keyof TemplateValues]> = [
  ["input", "input"],
  ["inputprefix", "inputPrefix"],
  ["outputprefix", "outputPrefix"],
  ["rawoutputdataprefix", "rawOutputDataPrefix"],
  ["checkpointoutputprefix", "checkpointOutputPrefix"],
  ["prevcheckpointprefix", "prevCheckpointPrefix"],
  ["perretryuniquekey", "perRetryUniqueKey"],
  ["tasktemplatepath", "taskTemplatePath"],
  ["namespace", "namespace"],
];

const PATTERN = /\{\{\s*[.$]([A-Za-z]+)(?:\.([A-Za-z0-9_]+))?\s*\}\}/g;

function renderFailure(message: string): NodeFailure {
  return new NodeFailure(
    "TemplateRenderFailed",
    message,
    ExecutionError_ErrorKind.USER,
    false,
  );
}

/**
 * Renders one literal for `{{.Inputs.<name>}}` like Go's `%v`.
 *
 * @example
 * ```ts
 * import { renderLiteral } from "./template.ts";
 * import { create } from "@bufbuild/protobuf";
 * import { LiteralSchema } from "@flyteidl/core/literals_pb.ts";
 * const lit = create(LiteralSchema, { value: { case: "scalar", value: { value: { case: "primitive", value: { value: { case: "integer", value: 3n } } } } } });
 * renderLiteral("x", lit); // "3"
 * ```
 */
export function renderLiteral(name: string, lit: Literal): string {
  if (lit.value.case === "collection") {
    return "[" +
      lit.value.value.literals.map((l) => renderLiteral(name, l)).join(",") +
      "]";
  }
  if (lit.value.case !== "scalar") {
    throw renderFailure(`input ${name}: cannot render a ${lit.value.case}`);
  }
  const s = lit.value.value.value;
  switch (s.case) {
    case "primitive": {
      const p = s.value.value;
      switch (p.case) {
        case "integer":
        case "floatValue":
        case "boolean":
          return String(p.value);
        case "stringValue":
          return p.value;
        case "datetime": {
          const ms = Number(p.value.seconds) * 1000 + p.value.nanos / 1e6;
          return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
        }
        case "duration":
          return `seconds:${p.value.seconds}` +
            (p.value.nanos ? ` nanos:${p.value.nanos}` : "");
      }
      break;
    }
    case "blob":
      return s.value.uri;
    case "schema":
      return s.value.uri;
  }
  throw renderFailure(`input ${name}: cannot render a ${s.case ?? "none"}`);
}

/**
 * Substitutes the templates in one argument.
 *
 * @example
 * ```ts
 * import { renderArg } from "./template.ts";
 * import { create } from "@bufbuild/protobuf";
 * import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
 * renderArg("--in={{ .input }}", { input: "file:///i.pb", inputs: create(LiteralMapSchema) }); // "--in=file:///i.pb"
 * ```
 */
export function renderArg(
  arg: string,
  values: Partial<TemplateValues> & { inputs: LiteralMap },
): string {
  return arg.replace(PATTERN, (whole, key: string, sub?: string) => {
    const k = key.toLowerCase();
    if (k === "inputs" && sub !== undefined) {
      const lit = values.inputs.literals[sub];
      if (!lit) throw renderFailure(`no input named ${sub} for ${whole}`);
      return renderLiteral(sub, lit);
    }
    if (sub !== undefined) return whole;
    const hit = SIMPLE.find(([n]) => n === k);
    if (!hit) return whole;
    const v = values[hit[1]];
    return typeof v === "string" ? v : whole;
  });
}
