import {
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { ParameterMapSchema } from "@flyteidl/core/interface_pb.ts";
import { LiteralSchema } from "@flyteidl/core/literals_pb.ts";
import { LiteralTypeSchema, SimpleType } from "@flyteidl/core/types_pb.ts";
import { FlyteInvalidInputError } from "../../src/client/errors.ts";
import {
  checkInputs,
  describeType,
  inputsOfParameters,
} from "../../src/remote/inputs.ts";
import { buildSpec } from "../../src/remote/executions.ts";
import { entityId } from "../../src/remote/ids.ts";

const int = create(LiteralTypeSchema, {
  type: { case: "simple", value: SimpleType.INTEGER },
});
const str = create(LiteralTypeSchema, {
  type: { case: "simple", value: SimpleType.STRING },
});
const intLit = (n: number) =>
  create(LiteralSchema, {
    value: {
      case: "scalar",
      value: {
        value: {
          case: "primitive",
          value: { value: { case: "integer", value: BigInt(n) } },
        },
      },
    },
  });

const params = inputsOfParameters(create(ParameterMapSchema, {
  parameters: {
    n: { var: { type: int }, behavior: { case: "required", value: true } },
    label: {
      var: { type: str, description: "a label" },
      behavior: { case: "default", value: create(LiteralSchema, {}) },
    },
  },
}));

Deno.test("inputs: good values convert, literals pass through, defaults may be omitted", () => {
  const m = checkInputs({ n: 3 }, params, "launch_plan p/d/lp@v1");
  assertEquals(Object.keys(m.literals), ["n"]);
  const lit = intLit(5);
  assertEquals(checkInputs({ n: lit }, params, "x").literals.n, lit);
});

Deno.test("inputs: unknown, missing and mistyped inputs list the interface", () => {
  const e = assertThrows(
    () => checkInputs({ nn: 1, label: 7 }, params, "launch_plan p/d/lp@v1"),
    FlyteInvalidInputError,
  );
  assertStringIncludes(e.message, "launch_plan p/d/lp@v1");
  assertStringIncludes(e.message, 'unknown input "nn"');
  assertStringIncludes(e.message, 'missing required input "n"');
  assertStringIncludes(e.message, 'input "label" expects string');
  assertStringIncludes(
    e.message,
    "expected interface:\n  n: integer (required)",
  );
  assertStringIncludes(e.message, "  label: string");
});

Deno.test("inputs: a launch plan's fixed input is named as such", () => {
  const e = assertThrows(
    () => checkInputs({ n: 1, seed: 2 }, params, "lp", ["seed"]),
    FlyteInvalidInputError,
  );
  assertStringIncludes(e.message, 'input "seed" is fixed by the launch plan');
});

Deno.test("describeType renders nested types", () => {
  const list = create(LiteralTypeSchema, {
    type: {
      case: "collectionType",
      value: { type: { case: "mapValueType", value: int } },
    },
  });
  assertEquals(describeType(list), "list<map<string, integer>>");
  const u = create(LiteralTypeSchema, {
    type: {
      case: "unionType",
      value: {
        variants: [int, {
          type: { case: "simple", value: SimpleType.NONE },
        }],
      },
    },
  });
  assertEquals(describeType(u), "union<integer | none>");
});

Deno.test("buildSpec carries every execution option", () => {
  const lp = entityId("launch_plan", "p", "d", "lp", "v1");
  const s = buildSpec(lp, {
    overwriteCache: true,
    interruptible: false,
    envs: { A: "1" },
    tags: ["t"],
    labels: { l: "x" },
    annotations: { a: "y" },
    clusterPool: "gpu",
    executionClusterLabel: "c1",
    notifications: "disable",
    maxParallelism: 4,
    securityContext: { runAs: { k8sServiceAccount: "sa" } },
  }, "file:///raw");
  assertEquals(s.launchPlan, lp);
  assertEquals(s.overwriteCache, true);
  assertEquals(s.interruptible, false);
  assertEquals(s.envs?.values.map((v) => [v.key, v.value]), [["A", "1"]]);
  assertEquals(s.tags, ["t"]);
  assertEquals(s.labels?.values, { l: "x" });
  assertEquals(s.annotations?.values, { a: "y" });
  assertEquals(s.clusterAssignment?.clusterPoolName, "gpu");
  assertEquals(s.executionClusterLabel?.value, "c1");
  assertEquals(s.notificationOverrides.case, "disableAll");
  assertEquals(s.rawOutputDataConfig?.outputLocationPrefix, "file:///raw");
  assertEquals(s.maxParallelism, 4);
  assertEquals(s.securityContext?.runAs?.k8sServiceAccount, "sa");
  assertEquals(buildSpec(lp, {}).interruptible, undefined);
  assertThrows(
    () => buildSpec(lp, { maxParallelism: -1 }),
    FlyteInvalidInputError,
    "maxParallelism",
  );
});
