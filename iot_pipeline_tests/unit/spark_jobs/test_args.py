import pytest

from iot_contracts import TOPICS
from spark_jobs.args import Trigger, interval, parse_args
from spark_jobs.reporting import pipes_requested, strip_pipes_args

BASE = ["--bootstrap-servers", "localhost:9092", "--lake-root", "/tmp/lake/"]


def test_defaults_drain_every_table_from_earliest():
    args = parse_args(BASE)
    assert args.trigger == Trigger(available_now=True)
    assert args.tables == TOPICS
    assert args.starting_offsets == "earliest"
    assert args.lake_root == "/tmp/lake"
    assert args.max_offsets_per_trigger is None
    assert args.dedupe_window == "1 hours"


def test_full_command_line():
    args = parse_args(
        [
            *BASE,
            "--trigger", "processing-time=5s",
            "--tables", "gps_data,vehicle_data,gps_data",
            "--max-offsets-per-trigger", "1000",
            "--kafka-option", "kafka.security.protocol=SSL",
            "--kafka-option", "kafka.sasl.jaas.config=a=b c=d",
            "--dedupe-window", "10 minutes",
            "--stop-after", "30",
            "--topic-prefix", "dev.",
        ]
    )  # fmt: skip
    assert args.trigger == Trigger(available_now=False, interval="5 seconds")
    assert args.tables == ("gps_data", "vehicle_data")
    assert args.max_offsets_per_trigger == 1000
    assert args.kafka_options == {
        "kafka.security.protocol": "SSL",
        "kafka.sasl.jaas.config": "a=b c=d",
    }
    assert args.dedupe_window == "10 minutes"
    assert args.stop_after_seconds == 30
    assert args.topic_prefix == "dev."


@pytest.mark.parametrize(
    ("text", "spark"),
    [("5s", "5 seconds"), ("500ms", "500 milliseconds"), ("1 minute", "1 minutes"),
     ("2.5 s", "2.5 seconds"), ("1h", "1 hours")],
)  # fmt: skip
def test_intervals(text, spark):
    assert interval(text) == spark


@pytest.mark.parametrize(
    "argv",
    [
        ["--trigger", "once"],
        ["--trigger", "processing-time=soon"],
        ["--trigger", "processing-time=0s"],
        ["--tables", "gps_data,nope"],
        ["--tables", ","],
        ["--max-offsets-per-trigger", "0"],
        ["--kafka-option", "novalue"],
        ["--starting-offsets", "yesterday"],
        ["--stop-after", "10"],  # only with processing-time
    ],
)
def test_bad_options_exit_2_with_one_line(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        parse_args([*BASE, *argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("stream_to_lake: error:") and err.count("\n") == 1


def test_required_options():
    with pytest.raises(SystemExit):
        parse_args(["--lake-root", "/tmp/x"])


def test_pipes_cli_args_are_stripped_before_parsing():
    argv = [*BASE, "--dagster-pipes-context", "abc", "--dagster-pipes-messages=xyz"]
    assert strip_pipes_args(argv) == BASE
    assert pipes_requested(argv)
    assert not pipes_requested(BASE) or "DAGSTER_PIPES_CONTEXT" in __import__("os").environ


def test_kafka_options_json_merges_with_repeated_flags():
    from spark_jobs.args import parse_args

    args = parse_args(
        ["--bootstrap-servers", "b:9092", "--lake-root", "/tmp/l",
         "--kafka-options-json", '{"kafka.security.protocol": "SASL_SSL", "kafka.sasl.mechanism": "PLAIN"}',
         "--kafka-option", "kafka.sasl.mechanism=SCRAM-SHA-512"]
    )  # fmt: skip
    assert args.kafka_options == {
        "kafka.security.protocol": "SASL_SSL",
        "kafka.sasl.mechanism": "SCRAM-SHA-512",
    }


def test_glue_reserved_arguments_are_dropped_but_typos_still_fail():
    import pytest

    from spark_jobs.args import parse_args, strip_glue_args

    argv = ["--JOB_ID", "j_1", "--bootstrap-servers", "b:9092", "--JOB_RUN_ID=jr_1",
            "--TempDir", "s3://t/", "--lake-root", "/tmp/l", "--job-bookmark-option", "job-bookmark-disable"]  # fmt: skip
    assert strip_glue_args(argv) == ["--bootstrap-servers", "b:9092", "--lake-root", "/tmp/l"]
    assert parse_args(strip_glue_args(argv)).lake_root == "/tmp/l"
    with pytest.raises(SystemExit) as exc:
        parse_args(strip_glue_args([*argv, "--lake-rot", "x"]))
    assert exc.value.code == 2


def test_source_options_default_a_short_fetch_wait_that_users_can_override():
    from spark_jobs.stream_to_lake import kafka_options

    base = ["--bootstrap-servers", "b:9092", "--lake-root", "/tmp/lake"]
    options = kafka_options(parse_args(base), "gps_data")
    assert options["subscribe"] == "gps_data"
    assert options["kafka.fetch.max.wait.ms"] == "50"
    override = ["--kafka-option", "kafka.fetch.max.wait.ms=500"]
    assert (
        kafka_options(parse_args(base + override), "gps_data")["kafka.fetch.max.wait.ms"] == "500"
    )
