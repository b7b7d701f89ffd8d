/**
 * Input checking: every value given to `execute` is checked against the
 * entity's interface before any call is made. An unknown name, a missing
 * required input or a value of the wrong type gives a
 * {@link FlyteInvalidInputError} whose message lists the expected interface.
 *
 * @module
 */
import { create } from "@bufbuild/protobuf";
import {
  type Literal,
  type LiteralMap,
  LiteralMapSchema,
} from "@flyteidl/core/literals_pb.ts";
import {
  BlobType_BlobDimensionality,
  type LiteralType,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";
import type { ParameterMap, VariableMap } from "@flyteidl/core/interface_pb.ts";
import { FlyteInvalidInputError } from "../client/errors.ts";
import { fromLiteral, toLiteral } from "../types/mod.ts";

/**
 * One input of an entity's interface, flattened from a VariableMap (tasks)
 * or a ParameterMap (launch plans, which carry defaults).
 *
 * @example
 * ```ts
 * import type { InterfaceInput } from "./inputs.ts";
 * ```
 */
export interface InterfaceInput {
  /** The input's name. */
  name: string;
  /** Its Flyte type. */
  type: LiteralType;
  /** True when no value means the execution cannot start. */
  required: boolean;
  /** The default used when no value is given (launch plans only). */
  default?: Literal;
  /** The description registered with the entity. */
  description: string;
}

/**
 * The inputs of a task or workflow interface: every variable is required.
 *
 * @example
 * ```ts
 * import { inputsOfVariables } from "./inputs.ts";
 * inputsOfVariables(undefined); // []
 * ```
 */
export function inputsOfVariables(
  vars: VariableMap | undefined,
): InterfaceInput[] {
  return Object.entries(vars?.variables ?? {}).map(([name, v]) => ({
    name,
    type: v.type!,
    required: true,
    description: v.description,
  }));
}

/**
 * The inputs of a launch plan (its `expectedInputs`): a parameter with a
 * default, or not marked required, may be left out.
 *
 * @example
 * ```ts
 * import { inputsOfParameters } from "./inputs.ts";
 * inputsOfParameters(undefined); // []
 * ```
 */
export function inputsOfParameters(
  params: ParameterMap | undefined,
): InterfaceInput[] {
  return Object.entries(params?.parameters ?? {}).map(([name, p]) => {
    const b = p.behavior;
    return {
      name,
      type: p.var?.type!,
      required: b.case === "required" ? b.value : false,
      default: b.case === "default" ? b.value : undefined,
      description: p.var?.description ?? "",
    };
  });
}

/**
 * A short readable rendering of a LiteralType: `integer`, `list<string>`,
 * `map<string, float>`, `blob(multipart, csv)`, `enum{a|b}`, `union<integer | none>`.
 *
 * @example
 * ```ts
 * import { describeType } from "./inputs.ts";
 * ```
 */
export function describeType(t: LiteralType | undefined): string {
  if (!t) return "unknown";
  const k = t.type;
  switch (k.case) {
    case "simple":
      return (SimpleType[k.value] ?? `simple(${k.value})`).toLowerCase();
    case "collectionType":
      return `list<${describeType(k.value)}>`;
    case "mapValueType":
      return `map<string, ${describeType(k.value)}>`;
    case "blob": {
      const dim =
        k.value.dimensionality === BlobType_BlobDimensionality.MULTIPART
          ? "multipart"
          : "single";
      return `blob(${dim}${k.value.format ? `, ${k.value.format}` : ""})`;
    }
    case "enumType":
      return `enum{${k.value.values.join("|")}}`;
    case "unionType":
      return `union<${k.value.variants.map(describeType).join(" | ")}>`;
    case "schema":
      return "schema";
    case "structuredDatasetType":
      return `structured_dataset${k.value.format ? `(${k.value.format})` : ""}`;
    default:
      return "unknown";
  }
}

function describeDefault(input: InterfaceInput): string {
  if (!input.default) return "";
  try {
    return ` = ${JSON.stringify(fromLiteral(input.default, input.type))}`;
  } catch {
    return " = <default>";
  }
}

/**
 * The interface as the error messages list it, one input per line.
 *
 * @example
 * ```ts
 * import { describeInterface } from "./inputs.ts";
 * describeInterface([]); // "  (no inputs)"
 * ```
 */
export function describeInterface(inputs: InterfaceInput[]): string {
  if (inputs.length === 0) return "  (no inputs)";
  return inputs
    .map((i) =>
      `  ${i.name}: ${describeType(i.type)}${
        i.required ? " (required)" : describeDefault(i) || " (optional)"
      }`
    )
    .join("\n");
}

function isLiteral(v: unknown): v is Literal {
  return typeof v === "object" && v !== null &&
    (v as { $typeName?: string }).$typeName === "flyteidl.core.Literal";
}

/**
 * Checks `values` against `inputs` and converts them to a LiteralMap
 * (`fixed` names the inputs a launch plan fixes, for a clearer message).
 * Values that are already flyteidl Literals are passed through. Inputs left
 * out that have a default are left to the server (which applies it).
 * Every problem is collected; one FlyteInvalidInputError names them all and
 * lists the expected interface.
 *
 * @example
 * ```ts
 * import { checkInputs } from "./inputs.ts";
 * const map = checkInputs({}, [], "task p/d/t@v1");
 * ```
 */
export function checkInputs(
  values: Record<string, unknown>,
  inputs: InterfaceInput[],
  entity: string,
  fixed: readonly string[] = [],
): LiteralMap {
  const byName = new Map(inputs.map((i) => [i.name, i]));
  const problems: string[] = [];
  const literals: Record<string, Literal> = {};
  for (const [name, value] of Object.entries(values)) {
    const input = byName.get(name);
    if (!input) {
      problems.push(
        fixed.includes(name)
          ? `input ${JSON.stringify(name)} is fixed by the launch plan`
          : `unknown input ${JSON.stringify(name)}`,
      );
      continue;
    }
    if (value === undefined) continue;
    if (isLiteral(value)) {
      literals[name] = value;
      continue;
    }
    try {
      literals[name] = toLiteral(value, input.type);
    } catch (e) {
      problems.push(
        `input ${JSON.stringify(name)} expects ${describeType(input.type)}: ${
          (e as Error).message
        }`,
      );
    }
  }
  for (const input of inputs) {
    if (input.required && values[input.name] === undefined) {
      problems.push(`missing required input ${JSON.stringify(input.name)}`);
    }
  }
  if (problems.length > 0) {
    throw new FlyteInvalidInputError(
      `invalid inputs for ${entity}: ${
        problems.join("; ")
      }\nexpected interface:\n${describeInterface(inputs)}`,
    );
  }
  return create(LiteralMapSchema, { literals });
}
