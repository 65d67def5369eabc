"""Where the streaming job runs: spark-submit on this machine (local) or a cluster (aws), via Pipes."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import dagster as dg
from pydantic import Field

from iot_pipeline import paths


class SparkJobLauncher(dg.ConfigurableResource):
    """Base: runs a spark_jobs script with arguments and returns what it reported through Pipes."""

    def run(
        self, context: dg.AssetExecutionContext, job_args: Sequence[str]
    ) -> dg.PipesClientCompletedInvocation:
        raise NotImplementedError


class LocalSparkLauncher(SparkJobLauncher):
    """spark-submit with pyspark's bundled Spark in local mode, with the Maven-resolved Kafka jars."""

    master: str = Field(default="local[2]")
    driver_memory: str = Field(default="2g")
    conf: dict[str, str] = Field(default_factory=dict, description="Extra --conf settings")

    def command(self, job_args: Sequence[str]) -> list[str]:
        from spark_jobs.submit import spark_submit_command

        conf = {"spark.driver.memory": self.driver_memory, **self.conf}
        return spark_submit_command(
            list(job_args), jars=paths.jars("spark"), master=self.master, conf=conf
        )

    def run(
        self, context: dg.AssetExecutionContext, job_args: Sequence[str]
    ) -> dg.PipesClientCompletedInvocation:
        env = {
            # The job runs with this interpreter, so it sees the same installed packages.
            "PYSPARK_PYTHON": sys.executable,
            "PYSPARK_DRIVER_PYTHON": sys.executable,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(paths.project_root()), os.environ.get("PYTHONPATH")])
            ),
        }
        client = dg.PipesSubprocessClient(cwd=str(paths.project_root()))
        return client.run(context=context, command=self.command(job_args), env=env)
