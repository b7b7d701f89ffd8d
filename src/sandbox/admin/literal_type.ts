/**
 * The literal type of a literal value, as FlyteAdmin infers it to check
 * execution inputs and launch-plan fixed/default inputs.
 *
 * @module
 */
import { create, equals } from "@bufbuild/protobuf";
import type { Literal } from "@flyteidl/core/literals_pb.ts";
import {
  type LiteralType,
  LiteralTypeSchema,
  SimpleType,
} from "@flyteidl/core/types_pb.ts";

function simple(t: SimpleType): LiteralType {
  return create(LiteralTypeSchema, { type: { case: "simple", value: t } });
}

function common(types: LiteralType[]): LiteralType {
  if (types.length === 0) return simple(SimpleType.NONE);
  const distinct: LiteralType[] = [];
  for (const t of types) {
    if (!distinct.some((d) => equals(LiteralTypeSchema, d, t))) {
      distinct.push(t);
    }
  }
  if (distinct.length === 1) return distinct[0];
  return create(LiteralTypeSchema, {
    type: { case: "unionType", value: { variants: distinct } },
  });
}

/**
 * Infers a literal's type.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { LiteralSchema } from "@flyteidl/core/literals_pb.ts";
 * import { literalTypeOf } from "./literal_type.ts";
 * const t = literalTypeOf(create(LiteralSchema, {
 *   value: { case: "scalar", value: { value: { case: "primitive", value: { value: { case: "integer", value: 1n } } } } },
 * }));
 * console.log(t.type.case); // "simple"
 * ```
 */
export function literalTypeOf(lit: Literal): LiteralType {
  const v = lit.value;
  switch (v.case) {
    case "collection":
      return create(LiteralTypeSchema, {
        type: {
          case: "collectionType",
          value: common(v.value.literals.map(literalTypeOf)),
        },
      });
    case "map":
      return create(LiteralTypeSchema, {
        type: {
          case: "mapValueType",
          value: common(Object.values(v.value.literals).map(literalTypeOf)),
        },
      });
    case "offloadedMetadata":
      return v.value.inferredType ?? simple(SimpleType.NONE);
    case "scalar": {
      const s = v.value.value;
      switch (s.case) {
        case "primitive":
          switch (s.value.value.case) {
            case "integer":
              return simple(SimpleType.INTEGER);
            case "floatValue":
              return simple(SimpleType.FLOAT);
            case "stringValue":
              return simple(SimpleType.STRING);
            case "boolean":
              return simple(SimpleType.BOOLEAN);
            case "datetime":
              return simple(SimpleType.DATETIME);
            case "duration":
              return simple(SimpleType.DURATION);
            default:
              return simple(SimpleType.NONE);
          }
        case "blob":
          return create(LiteralTypeSchema, {
            type: { case: "blob", value: s.value.metadata?.type ?? {} },
          });
        case "binary":
          return simple(SimpleType.BINARY);
        case "schema":
          return create(LiteralTypeSchema, {
            type: { case: "schema", value: s.value.type ?? {} },
          });
        case "noneType":
          return simple(SimpleType.NONE);
        case "error":
          return simple(SimpleType.ERROR);
        case "generic":
          return simple(SimpleType.STRUCT);
        case "structuredDataset":
          return create(LiteralTypeSchema, {
            type: {
              case: "structuredDatasetType",
              value: s.value.metadata?.structuredDatasetType ?? {},
            },
          });
        case "union":
          return s.value.type ?? simple(SimpleType.NONE);
        default:
          return simple(SimpleType.NONE);
      }
    }
    default:
      return simple(SimpleType.NONE);
  }
}
