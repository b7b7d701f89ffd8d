import { assert, assertEquals } from "../helpers/assert.ts";
import { join } from "node:path";
import {
  create,
  fromBinary,
  fromJson,
  fromJsonString,
  toBinary,
  toJson,
  toJsonString,
} from "@bufbuild/protobuf";
import { TaskTemplateSchema } from "@flyteidl/core/tasks_pb.ts";
import { WorkflowClosureSchema } from "@flyteidl/core/workflow_closure_pb.ts";
import { LiteralMapSchema } from "@flyteidl/core/literals_pb.ts";
import { SimpleType } from "@flyteidl/core/types_pb.ts";
import { ResourceType } from "@flyteidl/core/identifier_pb.ts";
import { TaskSpecSchema } from "@flyteidl/admin/task_pb.ts";
import { fixturesDir } from "../helpers/paths.ts";

function taskTemplate() {
  return create(TaskTemplateSchema, {
    id: {
      resourceType: ResourceType.TASK,
      project: "flytesnacks",
      domain: "development",
      name: "hello.say",
      version: "v1",
    },
    type: "python-task",
    metadata: {
      retries: { retries: 3 },
      discoverable: true,
      discoveryVersion: "1",
    },
    interface: {
      inputs: {
        variables: {
          name: {
            type: { type: { case: "simple", value: SimpleType.STRING } },
          },
        },
      },
      outputs: {
        variables: {
          o0: { type: { type: { case: "simple", value: SimpleType.INTEGER } } },
        },
      },
    },
    target: {
      case: "container",
      value: {
        image: "ghcr.io/flyteorg/flytekit:py3.11-1.16.0",
        args: ["pyflyte-execute", "--inputs", "{{.input}}"],
        env: [{ key: "A", value: "b" }],
      },
    },
  });
}

Deno.test("TaskTemplate survives binary and JSON round trips", () => {
  const t = taskTemplate();
  const bin = toBinary(TaskTemplateSchema, t);
  const back = fromBinary(TaskTemplateSchema, bin);
  assertEquals(toBinary(TaskTemplateSchema, back), bin);
  assertEquals(back.target.case, "container");
  const json = toJsonString(TaskTemplateSchema, t);
  assert(json.includes('"resourceType":"TASK"'), json);
  const fromJ = fromJsonString(TaskTemplateSchema, json);
  assertEquals(toBinary(TaskTemplateSchema, fromJ), bin);
});

Deno.test("a WorkflowClosure written by flytekit round-trips byte for byte", async () => {
  const bytes = await Deno.readFile(
    join(
      fixturesDir,
      "flyte-compiler",
      "app-workflows-work-one-python-task-w-f.pb",
    ),
  );
  const closure = fromBinary(WorkflowClosureSchema, bytes);
  assert(closure.workflow?.nodes.length, "the closure has nodes");
  assert(closure.tasks.length > 0, "the closure has tasks");
  assertEquals(toBinary(WorkflowClosureSchema, closure), bytes);
  const json = toJson(WorkflowClosureSchema, closure);
  const again = fromJson(WorkflowClosureSchema, json);
  assertEquals(toBinary(WorkflowClosureSchema, again), bytes);
});

Deno.test("a TaskSpec fixture decodes and its JSON form matches the original", async () => {
  const dir = join(fixturesDir, "flyte-compiler", "snacks-core");
  const name =
    [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
      n.endsWith("svm_trainer_1.pb")
    )[0];
  const spec = fromBinary(TaskSpecSchema, await Deno.readFile(join(dir, name)));
  assert(
    spec.template?.id?.name.includes("svm_trainer"),
    spec.template?.id?.name,
  );
  const again = fromJson(TaskSpecSchema, toJson(TaskSpecSchema, spec));
  assertEquals(toBinary(TaskSpecSchema, again), toBinary(TaskSpecSchema, spec));
});

Deno.test("LiteralMap with scalars, collections, maps and blobs round-trips", () => {
  const m = create(LiteralMapSchema, {
    literals: {
      n: {
        value: {
          case: "scalar",
          value: {
            value: {
              case: "primitive",
              value: { value: { case: "integer", value: 42n } },
            },
          },
        },
      },
      xs: {
        value: {
          case: "collection",
          value: {
            literals: [1.5, 2.5].map((f) => ({
              value: {
                case: "scalar" as const,
                value: {
                  value: {
                    case: "primitive" as const,
                    value: { value: { case: "floatValue" as const, value: f } },
                  },
                },
              },
            })),
          },
        },
      },
      f: {
        value: {
          case: "scalar",
          value: {
            value: {
              case: "blob",
              value: {
                uri: "s3://bucket/key",
                metadata: { type: { format: "csv" } },
              },
            },
          },
        },
      },
      nested: {
        value: {
          case: "map",
          value: {
            literals: {
              b: {
                value: {
                  case: "scalar",
                  value: {
                    value: {
                      case: "binary",
                      value: {
                        value: new Uint8Array([0x81, 0xa1, 0x61, 0x01]),
                        tag: "msgpack",
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  });
  const bin = toBinary(LiteralMapSchema, m);
  const back = fromBinary(LiteralMapSchema, bin);
  assertEquals(back, m);
  const json = toJsonString(LiteralMapSchema, m);
  // int64 is a string in protobuf JSON, as flytekit and Flyte expect.
  assert(json.includes('"integer":"42"'), json);
  assertEquals(
    toBinary(LiteralMapSchema, fromJsonString(LiteralMapSchema, json)),
    bin,
  );
});
