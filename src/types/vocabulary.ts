/**
 * The runtime vocabulary of Flyte types, `t`, with flytekit 1.16's
 * encodings (see the type engine's mod.ts for the table), assembled from
 * one module per family in ./vocabulary/: scalars and time, collections,
 * records, enums and unions, blobs and datasets, JSON and errors.
 *
 * @module
 */
import type { FlyteType, RecordFields } from "./type.ts";
import type { StructuredDataset } from "./values.ts";
import {
  bigintType,
  boolType,
  datetimeType,
  durationType,
  floatType,
  intType,
  noneType,
  stringType,
} from "./vocabulary/scalars.ts";
import { list, map } from "./vocabulary/collections.ts";
import { record } from "./vocabulary/records.ts";
import { enumType, optional, union, unionOf } from "./vocabulary/unions.ts";
import { dataframe, directory, file } from "./vocabulary/blobs.ts";
import { jsonToMsgpack, jsonType } from "./vocabulary/json.ts";

export type { RecordOptions } from "./vocabulary/records.ts";

/**
 * Internal constructors shared with the guesser.
 *
 * @example
 * ```ts
 * import { internal } from "./vocabulary.ts";
 * import { t } from "./mod.ts";
 * console.log(internal.record({ a: t.int }, { name: "A" }).name); // "A"
 * ```
 */
export const internal = { record, dataframe, unionOf, jsonToMsgpack };

/**
 * The vocabulary of Flyte types. Each is a {@link FlyteType}: it knows its
 * LiteralType, converts values both ways with flytekit 1.16's encodings,
 * and lets TypeScript infer value types (`Infer<typeof T>`).
 *
 * | type | JS value | Flyte |
 * |---|---|---|
 * | `t.int` | number (safe integers only) | INTEGER |
 * | `t.bigint` | bigint | INTEGER (int64) |
 * | `t.float` | number | FLOAT |
 * | `t.string`, `t.bool` | string, boolean | STRING, BOOLEAN |
 * | `t.datetime` | Date (PreciseDate keeps sub-ms) | DATETIME |
 * | `t.duration` | Duration | DURATION |
 * | `t.none` | null | NONE |
 * | `t.list(T)`, `t.map(T)` | T[], Record<string, T> | collection, map |
 * | `t.record({...})` | object | STRUCT, msgpack Binary (a dataclass) |
 * | `t.enum([...])` | one of the strings | enum |
 * | `t.union(...)`, `t.optional(T)` | any variant, T or null | union |
 * | `t.file(fmt)`, `t.directory(fmt)` | FlyteFile, FlyteDirectory | blob |
 * | `t.dataframe(cols, fmt)` | StructuredDataset | structured dataset |
 * | `t.json` | JSON data | STRUCT, msgpack Binary (a dict) |
 *
 * @example
 * ```ts
 * import { t, type Infer, toLiteral, fromLiteral } from "./mod.ts";
 * const Row = t.record({
 *   name: t.string,
 *   price: t.float,
 *   tags: t.list(t.string),
 *   note: t.optional(t.string),
 * }, { name: "Row" });
 * type Row = Infer<typeof Row>;
 * const row: Row = { name: "a", price: 2, tags: [] };
 * const back = fromLiteral(toLiteral(row, Row), Row);
 * console.log(back); // { name: "a", price: 2, tags: [], note: null }
 * ```
 */
export const t = {
  /** INTEGER as a JS number; values outside the safe-integer range are refused. */
  int: intType,
  /** INTEGER (int64) as a bigint. */
  bigint: bigintType,
  /** FLOAT (float64). */
  float: floatType,
  /** STRING. */
  string: stringType,
  /** BOOLEAN. */
  bool: boolType,
  /** DATETIME as a Date (UTC). */
  datetime: datetimeType,
  /** DURATION as a {@link Duration}. */
  duration: durationType,
  /** NONE, the value null. */
  none: noneType,
  /** A JSON value (flytekit's untyped `dict`): a msgpack Binary. */
  json: jsonType,
  /** A list of T. */
  list,
  /** A map from string keys to T. */
  map,
  /** A dataclass-like record of named fields (flytekit's dataclass encoding; `{ pydantic: true }` for a pydantic model). */
  record,
  /** One of fixed strings (a Python str Enum). */
  enum: enumType,
  /** One of several types, with flytekit's union tags. */
  union,
  /** T or null (a union with none); optional record fields may be left out. */
  optional,
  /** A file (blob, SINGLE), optionally with a format such as "csv". */
  file,
  /** A directory (blob, MULTIPART), optionally with a format. */
  directory,
  /** A structured dataset (dataframe) by URI, with optional columns and format. */
  dataframe: (
    columns?: RecordFields,
    format?: string,
  ): FlyteType<StructuredDataset, StructuredDataset | string | URL> =>
    dataframe(columns, format),
};
