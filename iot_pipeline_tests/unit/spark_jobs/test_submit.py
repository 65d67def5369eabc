from pathlib import Path

from spark_jobs.submit import JOBS_DIR, spark_home, spark_submit_command


def test_command_uses_pyspark_spark_submit_and_joins_jars():
    jars = [Path("/j/a.jar"), Path("/j/b.jar")]
    cmd = spark_submit_command(["--lake-root", "/l"], jars)
    assert cmd[0] == str(spark_home() / "bin" / "spark-submit")
    assert Path(cmd[0]).exists()
    assert cmd[cmd.index("--master") + 1] == "local[2]"
    assert cmd[cmd.index("--jars") + 1] == "/j/a.jar,/j/b.jar"
    assert cmd[cmd.index("--driver-memory") + 1] == "2g"
    confs = {cmd[i + 1].split("=", 1)[0]: cmd[i + 1].split("=", 1)[1]
             for i, a in enumerate(cmd) if a == "--conf"}  # fmt: skip
    assert confs["spark.ui.enabled"] == "false"
    assert confs["spark.sql.shuffle.partitions"] == "2"
    assert confs["spark.log.level"] == "WARN"
    assert cmd[-3:] == [str(JOBS_DIR / "stream_to_lake.py"), "--lake-root", "/l"]


def test_conf_overrides_and_cluster_master():
    cmd = spark_submit_command(
        ["--x"], [], master="yarn", conf={"spark.sql.shuffle.partitions": "64"}, script="other.py"
    )
    assert "--jars" not in cmd
    assert "spark.sql.shuffle.partitions=64" in cmd
    assert not any(a.startswith("spark.pyspark.python=") for a in cmd)  # cluster picks its own
    assert cmd[-2:] == [str(JOBS_DIR / "other.py"), "--x"]
