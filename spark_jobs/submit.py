"""Build the spark-submit command for a job in spark_jobs/ (used by Dagster Pipes, tests, benches)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

JOBS_DIR = Path(__file__).resolve().parent

# Sane defaults for local[2] on a laptop; `conf` overrides any of them.
LOCAL_CONF: dict[str, str] = {
    "spark.driver.memory": "2g",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.log.level": "WARN",
}


def spark_home() -> Path:
    """pyspark's bundled Spark (what `find_spark_home` resolves, honouring SPARK_HOME)."""
    from pyspark.find_spark_home import _find_spark_home

    return Path(_find_spark_home())


def spark_submit_command(
    job_args: Sequence[str],
    jars: Sequence[Path],
    master: str = "local[2]",
    conf: Mapping[str, str] | None = None,
    script: str = "stream_to_lake.py",
) -> list[str]:
    """`spark-submit --master ... --jars a.jar,b.jar --conf k=v ... <spark_jobs/script> job_args`."""
    settings = dict(LOCAL_CONF)
    settings.update(conf or {})
    cmd = [str(spark_home() / "bin" / "spark-submit"), "--master", master]
    if jars:
        cmd += ["--jars", ",".join(str(Path(j).resolve()) for j in jars)]
    if "spark.driver.memory" in settings:
        # Must be given before the driver JVM starts, which --conf does for spark-submit.
        cmd += ["--driver-memory", settings.pop("spark.driver.memory")]
    if master.startswith("local"):
        # Driver and Python workers use this interpreter (the venv with pyspark and iot_contracts).
        settings.setdefault("spark.pyspark.python", sys.executable)
        settings.setdefault("spark.pyspark.driver.python", sys.executable)
    for key, value in settings.items():
        cmd += ["--conf", f"{key}={value}"]
    cmd.append(str(JOBS_DIR / script))
    cmd += list(job_args)
    return cmd


def submit_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment for the spark-submit process: PYSPARK_PYTHON pinned to this interpreter."""
    env = dict(os.environ if base is None else base)
    env.setdefault("PYSPARK_PYTHON", sys.executable)
    env.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return env
