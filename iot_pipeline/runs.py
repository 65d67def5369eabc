"""Small queries over the Dagster instance's runs, shared by the sensors."""

import dagster as dg

IN_PROGRESS = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]
FAILED = {dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}


def runs_in_progress(instance: dg.DagsterInstance, job_name: str) -> list[dg.DagsterRun]:
    records = instance.get_run_records(dg.RunsFilter(job_name=job_name, statuses=IN_PROGRESS))
    return [r.dagster_run for r in records]


def run_by_key(instance: dg.DagsterInstance, run_key: str) -> dg.DagsterRun | None:
    """The newest run a sensor launched with this run key, if the daemon has created it yet."""
    records = instance.get_run_records(dg.RunsFilter(tags={"dagster/run_key": run_key}), limit=1)
    return records[0].dagster_run if records else None
