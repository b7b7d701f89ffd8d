import { assertEquals, assertThrows } from "../helpers/assert.ts";
import { create } from "@bufbuild/protobuf";
import { TaskTemplateSchema } from "@flyteidl/core/tasks_pb.ts";
import { runnableContainer } from "../../src/sandbox/engine/pod.ts";
import { NodeFailure } from "../../src/sandbox/engine/errors.ts";

const podTask = (podSpec: Record<string, unknown>, primary = "main") =>
  create(TaskTemplateSchema, {
    id: { name: "t" },
    type: "sidecar",
    config: primary ? { primary_container_name: primary } : {},
    target: {
      case: "k8sPod",
      value: { podSpec: podSpec as never, dataConfig: { enabled: true } },
    },
  });

Deno.test("pod: a container task runs its own container", () => {
  const task = create(TaskTemplateSchema, {
    target: { case: "container", value: { image: "img", args: ["a"] } },
  });
  assertEquals(runnableContainer(task).args, ["a"]);
});

Deno.test("pod: the primary container becomes the container, plain env only", () => {
  const c = runnableContainer(podTask({
    containers: [
      { name: "side", image: "busybox", args: ["sleep", "1"] },
      {
        name: "main",
        image: "repo/app:1",
        command: ["pyflyte-execute"],
        args: ["--inputs", "{{.input}}"],
        env: [
          { name: "A", value: "1" },
          { name: "SECRET", valueFrom: { secretKeyRef: { name: "s" } } },
        ],
      },
    ],
  }));
  assertEquals(c.image, "repo/app:1");
  assertEquals(c.command, ["pyflyte-execute"]);
  assertEquals(c.args, ["--inputs", "{{.input}}"]);
  assertEquals(c.env.map((e) => [e.key, e.value]), [["A", "1"]]);
  assertEquals(c.dataConfig?.enabled, true);
});

Deno.test("pod: bad pod specs fail with BadTaskSpecification naming the field", () => {
  const cases: Array<[ReturnType<typeof podTask>, string]> = [
    [
      podTask({ containers: [{ name: "main" }] }, ""),
      "[primary_container_name]",
    ],
    [
      podTask({ containers: { name: "main" } }),
      "pod_spec.containers must be a list",
    ],
    [
      podTask({ containers: [{ name: "x" }, { name: "y" }] }),
      "primary container [main] is not among the pod spec's containers [x, y]",
    ],
    [
      podTask({
        containers: [{ name: "x" }, { name: "main", args: ["ok", 3] }],
      }),
      "pod_spec.containers[1].args[1] must be a string",
    ],
    [
      podTask({ containers: [{ name: "main", env: [{ value: "v" }] }] }),
      "pod_spec.containers[0].env[0].name must be a string",
    ],
  ];
  for (const [task, text] of cases) {
    const err = assertThrows(() => runnableContainer(task), NodeFailure, text);
    assertEquals((err as NodeFailure).code, "BadTaskSpecification");
    assertEquals((err as NodeFailure).recoverable, false);
  }
});

Deno.test("pod: a task with neither container nor pod spec is unsupported", () => {
  const task = create(TaskTemplateSchema, {
    id: { name: "spark" },
    type: "spark",
  });
  const err = assertThrows(() => runnableContainer(task), NodeFailure);
  assertEquals((err as NodeFailure).code, "UnsupportedTaskType");
});
