"""Put runs into a test instance in a given state, as the daemon would have left them."""

import uuid

import dagster as dg


def add_run(
    instance: dg.DagsterInstance,
    job_name: str,
    status: dg.DagsterRunStatus,
    run_key: str | None = None,
) -> dg.DagsterRun:
    tags = {"dagster/run_key": run_key} if run_key else {}
    run = dg.DagsterRun(job_name=job_name, run_id=str(uuid.uuid4()), status=status, tags=tags)
    return instance.add_run(run)
