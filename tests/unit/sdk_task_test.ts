// deno-lint-ignore-file no-explicit-any
import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../helpers/assert.ts";
import { t, TypeTransformError } from "../../src/types/mod.ts";
import {
  compileTask,
  DEFAULT_IMAGE,
  DefinitionError,
  REGISTRY_KEY,
  RUNTIME_COMMAND,
  task,
} from "../../src/sdk/mod.ts";
import { compileTask as sandboxCompileTask } from "../../src/sandbox/compiler/mod.ts";
import { Resources_ResourceName } from "@flyteidl/core/tasks_pb.ts";

const scope = { project: "p", domain: "d", version: "v1" };

Deno.test("task: default name from the const it is assigned to, site, registry", () => {
  const add = task(
    { inputs: { a: t.int, b: t.int }, outputs: t.int },
    ({ a, b }) => a + b,
  );
  assertEquals(add.name, "sdk_task_test.add");
  assertEquals(add.kind, "task");
  assertEquals(add.taskType, "typescript");
  assertEquals(Object.keys(add.outputs), ["o0"]);
  assert(add.site?.url.endsWith("sdk_task_test.ts"));
  const reg = (globalThis as unknown as Record<symbol, Map<string, unknown>>)[
    REGISTRY_KEY
  ];
  assert(reg.get("sdk_task_test.add") === add);
});

Deno.test("task: a named function names it; an anonymous one without a const fails", () => {
  const fromFn = task({ inputs: {} }, function hello() {});
  assertEquals(fromFn.name, "sdk_task_test.hello");
  const e = assertThrows(
    () => [task({}, () => {})],
    DefinitionError,
  );
  assert(e.message.includes("needs a name"), e.message);
});

Deno.test("task: local run goes through the type engine both ways", async () => {
  const greet = task(
    {
      name: "m.greet",
      inputs: { name: t.string, n: t.int },
      outputs: { text: t.string, len: t.int },
    },
    ({ name, n }) => ({ text: `hi ${name}`.repeat(n), len: name.length }),
  );
  assertEquals(await greet({ name: "ab", n: 2 }), {
    text: "hi abhi ab",
    len: 2,
  });
  await assertRejects(
    () => greet({ name: "ab", n: 1.5 } as any),
    TypeTransformError,
  );
  const bad = task(
    { name: "m.bad", outputs: t.int },
    () => "nope" as any,
  );
  await assertRejects(() => bad(), TypeTransformError);
  const asyncTask = task({
    name: "m.later",
    inputs: { x: t.float },
    outputs: t.float,
  }, async ({ x }) => {
    await Promise.resolve();
    return x * 2;
  });
  assertEquals(await asyncTask({ x: 1.25 }), 2.5);
});

Deno.test("compileTask: flytekit's layout with the runtime's command", () => {
  const add = task(
    {
      name: "flows.add",
      inputs: { a: t.int, b: t.list(t.string) },
      outputs: t.int,
      retries: 2,
      cache: true,
      cacheVersion: "1",
      cacheSerialize: true,
      timeout: "5m",
      resources: { requests: { cpu: 1, mem: "1Gi" }, limits: { mem: "2Gi" } },
      environment: { A: "1" },
      secretRequests: [{ group: "g", key: "k", mount: "env" }],
    },
    ({ a, b }) => a + b.length,
  );
  const tpl = compileTask(add, { ...scope, extraArgs: ["--bundle", "s3://x"] });
  assertEquals(tpl.id?.name, "flows.add");
  assertEquals(tpl.id?.version, "v1");
  assertEquals(tpl.type, "typescript");
  assertEquals(tpl.metadata?.retries?.retries, 2);
  assertEquals(tpl.metadata?.discoverable, true);
  assertEquals(tpl.metadata?.cacheSerializable, true);
  assertEquals(tpl.metadata?.timeout?.seconds, 300n);
  assertEquals(Object.keys(tpl.interface!.inputs!.variables), ["a", "b"]);
  assertEquals(tpl.interface!.inputs!.variables.a.description, "a");
  assert(tpl.target.case === "container");
  const c = tpl.target.value;
  assertEquals(c.image, DEFAULT_IMAGE);
  assertEquals(c.args, [
    RUNTIME_COMMAND,
    "--task",
    "flows.add",
    "--inputs",
    "{{.input}}",
    "--output-prefix",
    "{{.outputPrefix}}",
    "--raw-output-data-prefix",
    "{{.rawOutputDataPrefix}}",
    "--bundle",
    "s3://x",
  ]);
  assertEquals(c.resources?.requests.map((r) => [r.name, r.value]), [
    [Resources_ResourceName.CPU, "1"],
    [Resources_ResourceName.MEMORY, "1Gi"],
  ]);
  assertEquals(c.env.map((e) => `${e.key}=${e.value}`), ["A=1"]);
  assertEquals(tpl.securityContext?.secrets[0].group, "g");
  // The sandbox's compiler (Flyte's checks) accepts it.
  sandboxCompileTask(tpl);
  assertEquals(
    (compileTask(add, { ...scope, image: "img:1" }).target.value as {
      image: string;
    }).image,
    "img:1",
  );
});

Deno.test("task: option errors name the task and the option", () => {
  const e1 = assertThrows(
    () => task({ name: "m.c", cache: true }, () => {}),
    DefinitionError,
  );
  assertEquals(e1.message, "task m.c: cache needs a cacheVersion");
  const e2 = assertThrows(
    () => task({ name: "m.r", retries: -1 }, () => {}),
    DefinitionError,
  );
  assertEquals(
    e2.message,
    "task m.r: retries must be a whole number >= 0, got -1",
  );
  const e3 = assertThrows(
    () =>
      task(
        { name: "m.i", inputs: { a: t.int }, cacheIgnoreInputVars: ["b"] },
        () => {},
      ),
    DefinitionError,
  );
  assertEquals(
    e3.message,
    "task m.i: cacheIgnoreInputVars names b, which is not an input",
  );
});

Deno.test("default names: module from the URL, notebook cells by the function's text", async () => {
  const { defaultName, moduleName } = await import("../../src/sdk/site.ts");
  assertEquals(moduleName("file:///work/flows.ts"), "flows");
  assertEquals(moduleName("file:///tmp/$deno$repl.mts"), "notebook");
  const cell = { url: "file:///nowhere/$deno$repl.mts", line: 3 };
  const a = defaultName("task", ({ x }: { x: number }) => x + 1, cell);
  const b = defaultName("task", ({ x }: { x: number }) => x + 1, cell);
  const c = defaultName("task", ({ x }: { x: number }) => x + 2, cell);
  assert(/^notebook\.task_[0-9a-f]{8}$/.test(a), a);
  assertEquals(a, b);
  assert(a !== c);
  assertEquals(defaultName("task", function plus() {}, cell), "notebook.plus");
});

Deno.test("task calls: the declaration types the call and the function (types)", async () => {
  const add = task(
    {
      name: "m.typed_add",
      inputs: { a: t.int, b: t.optional(t.int) },
      outputs: t.int,
    },
    ({ a, b }) => a + (b ?? 0),
  );
  const typeChecks = () => {
    // @ts-expect-error a is required
    add({ b: 1 });
    // @ts-expect-error a is an int
    add({ a: "1" });
    task(
      { name: "m.typed_bad", inputs: { s: t.string }, outputs: t.int },
      // @ts-expect-error s is a string, and the output must be a number
      ({ s }) => s,
    );
  };
  assert(typeof typeChecks === "function");
  const n: number = await add({ a: 2 });
  assertEquals(n, 2);
});
