/**
 * Literal type compatibility: whether a value of one Flyte type may flow into
 * a variable of another, as Flyte's compiler decides it
 * (flytepropeller/pkg/compiler/validators/typing.go), and the literal type a
 * literal value has.
 *
 * @module
 */
import { clone, create, equals } from "@bufbuild/protobuf";
import {
  type BlobType,
  type LiteralType,
  LiteralTypeSchema,
  type SchemaType,
  SchemaType_SchemaColumn_SchemaColumnType as ColumnType,
  SimpleType,
  type StructuredDatasetType,
} from "@flyteidl/core/types_pb.ts";
import type { Literal, Primitive, Scalar } from "@flyteidl/core/literals_pb.ts";
import type { Variable } from "@flyteidl/core/interface_pb.ts";
import { jsonEqual, jsonSchemaIsSubtype } from "./json_schema.ts";
import { typeText } from "./text.ts";

/** The tag flytekit puts on msgpack-encoded binary scalars. */
const MESSAGEPACK = "msgpack";

function simple(t: SimpleType): LiteralType {
  return create(LiteralTypeSchema, { type: { case: "simple", value: t } });
}

/** Whether `t` is the simple NONE type. */
export function isNoneType(t: LiteralType | undefined): boolean {
  return t?.type.case === "simple" && t.type.value === SimpleType.NONE;
}

function collectionOf(t: LiteralType | undefined): LiteralType | undefined {
  return t?.type.case === "collectionType" ? t.type.value : undefined;
}

function mapValueOf(t: LiteralType | undefined): LiteralType | undefined {
  return t?.type.case === "mapValueType" ? t.type.value : undefined;
}

function simpleOf(t: LiteralType | undefined): SimpleType | undefined {
  return t?.type.case === "simple" ? t.type.value : undefined;
}

function blobOf(t: LiteralType | undefined): BlobType | undefined {
  return t?.type.case === "blob" ? t.type.value : undefined;
}

function schemaOf(t: LiteralType | undefined): SchemaType | undefined {
  return t?.type.case === "schema" ? t.type.value : undefined;
}

function datasetOf(
  t: LiteralType | undefined,
): StructuredDatasetType | undefined {
  return t?.type.case === "structuredDatasetType" ? t.type.value : undefined;
}

function unionVariants(t: LiteralType | undefined): LiteralType[] | undefined {
  return t?.type.case === "unionType" ? t.type.value.variants : undefined;
}

function tagOf(t: LiteralType | undefined): string {
  return t?.structure?.tag ?? "";
}

/** Full equality of two literal types (Flyte compares printed forms). */
export function sameType(
  a: LiteralType | undefined,
  b: LiteralType | undefined,
): boolean {
  const empty = create(LiteralTypeSchema);
  return equals(LiteralTypeSchema, a ?? empty, b ?? empty);
}

function withoutDecorations(t: LiteralType): LiteralType {
  const copy = clone(LiteralTypeSchema, t);
  copy.structure = undefined;
  copy.metadata = undefined;
  copy.annotation = undefined;
  return copy;
}

/** A type that accepts only exactly-matching types, plus enum<->string. */
function trivialCastsFrom(target: LiteralType, source: LiteralType): boolean {
  // An enum is a constrained string: it flows into a string, and a string
  // flows into an enum.
  if (
    source.type.case === "enumType" && simpleOf(target) === SimpleType.STRING
  ) {
    return true;
  }
  if (
    target.type.case === "enumType" && simpleOf(source) === SimpleType.STRING
  ) {
    return true;
  }
  if (tagOf(source) !== "" && tagOf(target) !== tagOf(source)) return false;

  if (
    simpleOf(source) === SimpleType.STRUCT &&
    simpleOf(target) === SimpleType.STRUCT
  ) {
    // Dataclasses and Pydantic models carry their JSON schema in metadata;
    // without one on either side, any struct is accepted (as Flyte does for
    // older flytekit output).
    if (source.metadata === undefined || target.metadata === undefined) {
      return true;
    }
    return jsonEqual(source.metadata, target.metadata) ||
      jsonSchemaIsSubtype(source.metadata, target.metadata);
  }
  return equals(
    LiteralTypeSchema,
    withoutDecorations(source),
    withoutDecorations(target),
  );
}

function blobCastsFrom(target: LiteralType, source: LiteralType): boolean {
  const from = blobOf(source);
  if (from === undefined) return false;
  const to = blobOf(target)!;
  // A blob without a format is generic and matches any blob.
  if (from.format === "" || to.format === "") return true;
  return from.format === to.format;
}

function schemaColumnMatches(column: ColumnType, simpleType: SimpleType) {
  switch (column) {
    case ColumnType.INTEGER:
      return simpleType === SimpleType.INTEGER;
    case ColumnType.FLOAT:
      return simpleType === SimpleType.FLOAT;
    case ColumnType.STRING:
      return simpleType === SimpleType.STRING;
    case ColumnType.BOOLEAN:
      return simpleType === SimpleType.BOOLEAN;
    case ColumnType.DATETIME:
      return simpleType === SimpleType.DATETIME;
    case ColumnType.DURATION:
      return simpleType === SimpleType.DURATION;
  }
  return false;
}

function schemaFromSchema(from: SchemaType, to: SchemaType | undefined) {
  const toColumns = to?.columns ?? [];
  if (from.columns.length === 0 || toColumns.length === 0) return true;
  const byName = new Map(from.columns.map((c) => [c.name, c.type]));
  // The target's columns must be a subset of the source's, with equal types.
  return toColumns.every((c) =>
    byName.has(c.name) && byName.get(c.name) === c.type
  );
}

function schemaFromDataset(
  from: StructuredDatasetType,
  to: SchemaType | undefined,
) {
  const toColumns = to?.columns ?? [];
  if (from.columns.length === 0 || toColumns.length === 0) return true;
  const byName = new Map(
    from.columns.map((
      c,
    ) => [c.name, simpleOf(c.literalType) ?? SimpleType.NONE]),
  );
  return toColumns.every((c) =>
    byName.has(c.name) && schemaColumnMatches(c.type, byName.get(c.name)!)
  );
}

function datasetFromSchema(
  from: SchemaType,
  to: StructuredDatasetType | undefined,
) {
  const toColumns = to?.columns ?? [];
  if (from.columns.length === 0 || toColumns.length === 0) return true;
  const byName = new Map(from.columns.map((c) => [c.name, c.type]));
  return toColumns.every((c) =>
    byName.has(c.name) &&
    schemaColumnMatches(
      byName.get(c.name)!,
      simpleOf(c.literalType) ?? SimpleType.NONE,
    )
  );
}

function datasetFromDataset(
  from: StructuredDatasetType,
  to: StructuredDatasetType | undefined,
) {
  const toFormat = to?.format ?? "";
  // An empty format on either side matches any format (flyte#2864).
  if (
    from.format !== "" && toFormat !== "" &&
    from.format.toLowerCase() !== toFormat.toLowerCase()
  ) {
    return false;
  }
  const toColumns = to?.columns ?? [];
  if (from.columns.length === 0 || toColumns.length === 0) return true;
  const byName = new Map(from.columns.map((c) => [c.name, c.literalType]));
  return toColumns.every((c) => {
    if (!byName.has(c.name)) return false;
    const target = c.literalType ?? create(LiteralTypeSchema);
    const source = byName.get(c.name) ?? create(LiteralTypeSchema);
    return castsFrom(target, source);
  });
}

function schemaCastsFrom(target: LiteralType, source: LiteralType): boolean {
  const fromSchema = schemaOf(source);
  const fromDataset = datasetOf(source);
  if (fromSchema === undefined && fromDataset === undefined) return false;
  if (fromSchema !== undefined) {
    return schemaFromSchema(fromSchema, schemaOf(target));
  }
  // A Flyte schema can only be stored as parquet.
  if (
    fromDataset!.format !== "" &&
    fromDataset!.format.toLowerCase() !== "parquet"
  ) {
    return false;
  }
  return schemaFromDataset(fromDataset!, schemaOf(target));
}

function datasetCastsFrom(target: LiteralType, source: LiteralType): boolean {
  // Structured datasets are nullable.
  if (isNoneType(source)) return true;
  const fromSchema = schemaOf(source);
  const fromDataset = datasetOf(source);
  if (fromSchema === undefined && fromDataset === undefined) return false;
  const to = datasetOf(target);
  if (fromSchema !== undefined) {
    const format = to?.format ?? "";
    if (format !== "" && format.toLowerCase() !== "parquet") return false;
    return datasetFromSchema(fromSchema, to);
  }
  return datasetFromDataset(fromDataset!, to);
}

function unionCastsFrom(target: LiteralType, source: LiteralType): boolean {
  const targets = unionVariants(target) ?? [];
  const sources = unionVariants(source);
  if (sources !== undefined) {
    // Every source variant must fit some target variant.
    return sources.every((s) =>
      targets.some((t) => literalTypesCompatible(s, t))
    );
  }
  // A plain value must select exactly one variant.
  return targets.filter((t) => literalTypesCompatible(source, t)).length === 1;
}

/** The checker Flyte picks for a target type, applied to a source type. */
function castsFrom(target: LiteralType, source: LiteralType): boolean {
  switch (target.type.case) {
    case "collectionType": {
      // An empty collection (of NONE) matches any collection.
      const inner = collectionOf(source);
      if (isNoneType(inner)) return true;
      if (inner === undefined) return false;
      return castsFrom(target.type.value, inner);
    }
    case "mapValueType": {
      const inner = mapValueOf(source);
      if (isNoneType(inner)) return true;
      if (inner === undefined) return false;
      return castsFrom(target.type.value, inner);
    }
    case "blob":
      return blobCastsFrom(target, source);
    case "schema":
      return schemaCastsFrom(target, source);
    case "unionType":
      return unionCastsFrom(target, source);
    case "structuredDatasetType":
      return datasetCastsFrom(target, source);
    default:
      if (isNoneType(target)) return isNoneType(source);
      return trivialCastsFrom(target, source);
  }
}

/**
 * Whether a value of type `source` may be bound to a variable of type
 * `target`, with Flyte's rules: integers do not widen to floats; enums and
 * strings convert both ways; blobs, schemas and structured datasets without a
 * format/columns are generic; a target's columns must be a subset of the
 * source's; an empty collection or map fits any; a union accepts a value that
 * fits exactly one variant, and a union source fits when each of its variants
 * fits; a single-variant union source may be unwrapped; structured (dataclass)
 * types compare their JSON schemas; type metadata and annotations are
 * otherwise ignored.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { LiteralTypeSchema, SimpleType } from "@flyteidl/core/types_pb.ts";
 * import { literalTypesCompatible } from "./typing.ts";
 * const int = create(LiteralTypeSchema, { type: { case: "simple", value: SimpleType.INTEGER } });
 * const float = create(LiteralTypeSchema, { type: { case: "simple", value: SimpleType.FLOAT } });
 * console.log(literalTypesCompatible(int, int), literalTypesCompatible(int, float)); // true false
 * ```
 */
export function literalTypesCompatible(
  source: LiteralType,
  target: LiteralType,
): boolean {
  const variants = unionVariants(source);
  if (variants !== undefined && variants.length === 1) {
    if (castsFrom(target, variants[0])) return true;
  }
  return castsFrom(target, source);
}

/** Whether a variable is optional: a union with a NONE variant. */
export function isOptional(variable: Variable | undefined): boolean {
  const variants = unionVariants(variable?.type);
  return variants !== undefined &&
    variants.some((v) => simpleOf(v) === SimpleType.NONE);
}

/** The literal type of a primitive value (NONE when it holds nothing). */
export function literalTypeForPrimitive(p: Primitive | undefined): LiteralType {
  switch (p?.value.case) {
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
}

/**
 * The literal type of a scalar value, or undefined when it cannot be told
 * (a blob without metadata, an empty scalar).
 */
export function literalTypeForScalar(
  s: Scalar | undefined,
): LiteralType | undefined {
  const v = s?.value;
  switch (v?.case) {
    case "primitive":
      return literalTypeForPrimitive(v.value);
    case "blob":
      if (v.value.metadata === undefined) return undefined;
      return create(LiteralTypeSchema, {
        type: {
          case: "blob",
          value: v.value.metadata.type ?? {},
        },
      });
    case "binary":
      // msgpack-tagged binaries are structured values (dicts, dataclasses).
      return simple(
        v.value.tag === MESSAGEPACK ? SimpleType.STRUCT : SimpleType.BINARY,
      );
    case "schema":
      return create(LiteralTypeSchema, {
        type: { case: "schema", value: v.value.type ?? {} },
      });
    case "structuredDataset": {
      const t = v.value.metadata?.structuredDatasetType;
      return create(LiteralTypeSchema, {
        type: { case: "structuredDatasetType", value: t ?? {} },
      });
    }
    case "noneType":
      return simple(SimpleType.NONE);
    case "error":
      return simple(SimpleType.ERROR);
    case "generic":
      return simple(SimpleType.STRUCT);
    case "union":
      return create(LiteralTypeSchema, {
        type: {
          case: "unionType",
          value: {
            variants: [v.value.type ?? create(LiteralTypeSchema)],
          },
        },
      });
    default:
      return undefined;
  }
}

function literalTypeForLiterals(literals: Literal[]): LiteralType {
  const distinct: LiteralType[] = [];
  let noneType: LiteralType | undefined;
  for (const l of literals) {
    const t = literalTypeForLiteral(l) ?? create(LiteralTypeSchema);
    if (l.value.case === "collection" && l.value.value.literals.length === 0) {
      noneType = t;
      continue;
    }
    if (!distinct.some((d) => sameType(d, t))) distinct.push(t);
  }
  if (distinct.length === 0 && noneType !== undefined) distinct.push(noneType);
  if (distinct.length === 0) return simple(SimpleType.NONE);
  if (distinct.length === 1) return distinct[0];
  // Several element types: a union of them, in a stable order.
  const keyed = distinct.map((t) => [typeText(t), t] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const variants: LiteralType[] = [];
  let nested = false;
  for (const [, t] of keyed) {
    const innerUnion = unionVariants(collectionOf(t));
    if (innerUnion !== undefined) {
      nested = true;
      variants.push(...innerUnion);
    } else {
      variants.push(t);
    }
  }
  const union = create(LiteralTypeSchema, {
    type: { case: "unionType", value: { variants } },
  });
  return nested
    ? create(LiteralTypeSchema, {
      type: { case: "collectionType", value: union },
    })
    : union;
}

/**
 * The literal type of a literal value (as Flyte infers it for fixed inputs
 * and launch-plan defaults): collections and maps of mixed element types get
 * a union element type; an empty collection has element type NONE.
 *
 * @example
 * ```ts
 * import { create } from "@bufbuild/protobuf";
 * import { LiteralSchema } from "@flyteidl/core/literals_pb.ts";
 * import { literalTypeForLiteral } from "./typing.ts";
 * const five = create(LiteralSchema, {
 *   value: { case: "scalar", value: { value: { case: "primitive", value: { value: { case: "integer", value: 5n } } } } },
 * });
 * console.log(literalTypeForLiteral(five)?.type.case); // "simple"
 * ```
 */
export function literalTypeForLiteral(l: Literal): LiteralType | undefined {
  switch (l.value.case) {
    case "scalar":
      return literalTypeForScalar(l.value.value);
    case "collection":
      return create(LiteralTypeSchema, {
        type: {
          case: "collectionType",
          value: literalTypeForLiterals(l.value.value.literals),
        },
      });
    case "map":
      return create(LiteralTypeSchema, {
        type: {
          case: "mapValueType",
          value: literalTypeForLiterals(Object.values(l.value.value.literals)),
        },
      });
    case "offloadedMetadata":
      return l.value.value.inferredType;
    default:
      return undefined;
  }
}
