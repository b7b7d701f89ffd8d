"""The flytesnacks basics, written with flytekit: tests/sdk_flytekit/basics.ts
writes the same workflows with src/sdk, and tests/unit/sdk_flytekit_test.ts
compares what both compile to."""

import os
from datetime import datetime, timedelta
from typing import Dict, List, NamedTuple, Optional

from flytekit import (
    CronSchedule,
    Cache,
    LaunchPlan,
    Resources,
    Secret,
    WorkflowFailurePolicy,
    approve,
    conditional,
    sleep,
    task,
    wait_for_input,
    workflow,
)
from flytekit import PodTemplate
from flytekit.core.array_node_map_task import map_task
from kubernetes.client import V1Container, V1EnvVar, V1PodSpec


@task
def say_hello(name: str) -> str:
    return f"Hello, {name}!"


@workflow
def hello_wf(name: str = "world") -> str:
    return say_hello(name=name)


@task
def add_one(x: int) -> int:
    return x + 1


@task
def double(x: int) -> int:
    return x * 2


@task
def square(x: int) -> int:
    return x * x


@task
def to_text(x: int) -> str:
    return f"value {x}"


@workflow
def chain_wf(x: int) -> str:
    return to_text(x=double(x=add_one(x=x)))


@workflow
def sub_wf(x: int) -> int:
    return double(x=x)


sub_lp = LaunchPlan.get_or_create(sub_wf, name="basics.sub_lp", default_inputs={"x": 4})


@workflow
def parent_wf(x: int) -> int:
    a = sub_wf(x=x)
    b = sub_lp(x=a)
    return add_one(x=b).with_overrides(name="last", retries=3)


@workflow
def cond_wf(x: int) -> int:
    return (
        conditional("sign")
        .if_(x > 5)
        .then(double(x=x))
        .elif_((x < 0) & (x > -10))
        .then(square(x=x))
        .else_()
        .then(add_one(x=x))
    )


@workflow
def cond_fail_wf(x: int) -> int:
    y = add_one(x=x)
    return conditional("check").if_(y == 1).then(double(x=y)).else_().fail("y must be 1")


@workflow
def map_wf(xs: List[int]) -> List[int]:
    return map_task(double, concurrency=10)(x=xs)


@workflow
def gates_wf(x: int) -> int:
    s = sleep(timedelta(seconds=5))
    n = wait_for_input("extra", timeout=timedelta(hours=1), expected_type=int)
    total = add_one(x=n)
    s >> total
    ok = approve(total, "approve-total", timeout=timedelta(hours=2))
    return double(x=ok)


@task
def cleanup(x: int) -> None:
    print(f"cleaning up after {x}")


@task
def fails(x: int) -> int:
    if x >= 0:
        raise ValueError(f"fails on {x}")
    return x


@workflow(on_failure=cleanup, failure_policy=WorkflowFailurePolicy.FAIL_AFTER_EXECUTABLE_NODES_COMPLETE)
def failing_wf(x: int) -> int:
    return fails(x=x)


@task
def report(kickoff: datetime, n: int) -> str:
    return f"{n} at {kickoff.isoformat()}"


@workflow
def report_wf(kickoff: datetime, n: int) -> str:
    return report(kickoff=kickoff, n=n)


nightly = LaunchPlan.get_or_create(
    report_wf,
    name="basics.nightly",
    schedule=CronSchedule(schedule="0 3 * * *", kickoff_time_input_arg="kickoff"),
    default_inputs={"n": 5},
)


@task(
    retries=2,
    cache=True,
    cache_version="1.0",
    cache_serialize=True,
    cache_ignore_input_vars=["b"],
    timeout=timedelta(minutes=5),
    interruptible=True,
    requests=Resources(cpu="1", mem="1Gi"),
    limits=Resources(mem="2Gi", ephemeral_storage="10Gi"),
    environment={"MODE": "fast"},
    secret_requests=[Secret(group="db", key="password", mount_requirement=Secret.MountType.ENV_VAR)],
    deprecated="use add_one",
)
def tuned(a: int, b: List[str]) -> NamedTuple("TunedOut", [("total", int), ("label", str)]):
    return len(b) + a, "x"


@workflow
def tuned_wf(a: int) -> NamedTuple("WfOut", [("total", int), ("label", str)]):
    first = add_one(x=a)
    out = tuned(a=first, b=[to_text(x=first), "const"])
    return out.total, out.label


@task(
    pod_template=PodTemplate(
        primary_container_name="main",
        labels={"team": "a"},
        pod_spec=V1PodSpec(
            containers=[
                V1Container(name="main", env=[V1EnvVar(name="GREETING", value="Howdy")]),
                V1Container(name="sidecar", image="busybox", command=["sleep", "3600"]),
            ]
        ),
    ),
    requests=Resources(cpu="1"),
    environment={"A": "b"},
)
def pod_greet(name: str) -> str:
    return f"{os.environ['GREETING']}, {name}!"


@workflow
def pod_wf(name: str) -> str:
    return pod_greet(name=name)


@workflow
def overrides_wf(x: int) -> int:
    a = double(x=x).with_overrides(
        limits=Resources(mem="2Gi", cpu="2"),
        requests=Resources(cpu="1"),
        timeout=timedelta(minutes=10),
        interruptible=True,
    )
    return double(x=a).with_overrides(cache=Cache(version="3", serialize=True))


from flytekit import Email, FixedRate, Labels, Annotations, WorkflowExecutionPhase  # noqa: E402
from flytekit.models.common import RawOutputDataConfig  # noqa: E402
from flytekit.models.security import Identity, SecurityContext  # noqa: E402

tuned_lp = LaunchPlan.get_or_create(
    report_wf,
    name="basics.tuned_lp",
    schedule=FixedRate(duration=timedelta(hours=2), kickoff_time_input_arg="kickoff"),
    fixed_inputs={"n": 7},
    notifications=[Email(phases=[WorkflowExecutionPhase.FAILED], recipients_email=["a@example.com"])],
    labels=Labels({"team": "data"}),
    annotations=Annotations({"note": "x"}),
    raw_output_data_config=RawOutputDataConfig(output_location_prefix="s3://bucket/raw"),
    max_parallelism=4,
    security_context=SecurityContext(run_as=Identity(k8s_service_account="runner")),
)


@task
def maybe_add(a: int, b: Optional[int] = None) -> int:
    return a + (b or 0)


@workflow
def optional_wf(a: int, c: Optional[int] = None) -> int:
    return maybe_add(a=maybe_add(a=a), b=c)


@task
def sum_values(m: Dict[str, int]) -> int:
    return sum(m.values())


@workflow
def dict_wf(x: int) -> int:
    return sum_values(m={"a": add_one(x=x), "b": 2, "c": x})


@workflow
def nested_wf(x: int) -> int:
    y = double(x=x)
    return (
        conditional("outer")
        .if_(x > 0)
        .then(conditional("inner").if_(y > 10).then(square(x=y)).else_().then(double(x=y)))
        .else_()
        .then(square(x=x))
    )


@workflow
def case_deps_wf(x: int) -> int:
    y = double(x=x)
    return conditional("pick").if_(x > 0).then(square(x=y)).else_().then(double(x=x))
