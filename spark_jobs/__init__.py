"""Spark jobs, runnable with spark-submit anywhere Spark runs.

Nothing here imports Dagster or iot_pipeline: the jobs talk back to Dagster only through
dagster-pipes (optional), and depend only on pyspark and the neutral `iot_contracts` package.
"""
