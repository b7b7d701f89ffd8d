/**
 * When `execute()` names an execution that already exists: the same request
 * (a retried create, a rerun cell) may return it, a different one must not
 * (flytekit raises "already exists"; silently returning the old run would
 * hand back outputs of other inputs).
 *
 * @module
 */
import { equals } from "@bufbuild/protobuf";
import type { Execution } from "@flyteidl/admin/execution_pb.ts";
import type { Identifier } from "@flyteidl/core/identifier_pb.ts";
import { type LiteralMap, LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import { formatEntityId } from "./ids.ts";

/**
 * What differs between an existing execution and the one asked for, or
 * `undefined` when they match: the launched entity, then each input given
 * (inputs the request leaves to defaults are not compared).
 *
 * @example
 * ```ts
 * import { differenceFrom } from "./existing_execution.ts";
 * import type { Execution } from "@flyteidl/admin/execution_pb.ts";
 * declare const old: Execution;
 * declare const oldInputs: import("@flyteidl/core/literals_pb.ts").LiteralMap;
 * const diff = differenceFrom(old, oldInputs, old.spec!.launchPlan!, { $typeName: "flyteidl.core.LiteralMap", literals: {} });
 * console.log(diff ?? "same");
 * ```
 */
export function differenceFrom(
  existing: Execution,
  existingInputs: LiteralMap | undefined,
  launch: Identifier,
  inputs: LiteralMap,
): string | undefined {
  const was = existing.spec?.launchPlan;
  const sameEntity = was !== undefined &&
    was.resourceType === launch.resourceType &&
    was.project === launch.project && was.domain === launch.domain &&
    was.name === launch.name && was.version === launch.version;
  if (!sameEntity) {
    return `it runs ${formatEntityId(was)}, not ${formatEntityId(launch)}`;
  }
  const old = existingInputs?.literals ?? {};
  const changed = Object.keys(inputs.literals).filter((k) =>
    !old[k] || !equals(LiteralSchema, old[k], inputs.literals[k])
  );
  return changed.length
    ? `its input${changed.length > 1 ? "s" : ""} ${changed.join(", ")} differ${
      changed.length > 1 ? "" : "s"
    }`
    : undefined;
}
