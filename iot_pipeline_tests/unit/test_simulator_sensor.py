"""keep_traffic_flowing across its cursor cases."""

import dagster as dg

from iot_pipeline.ingestion.sensors import MAX_JOURNEYS, build_simulator_sensor
from iot_pipeline_tests.sensor_helpers import add_run

SENSOR = build_simulator_sensor(dg.DefaultSensorStatus.RUNNING)


def _tick(instance, cursor=None):
    return SENSOR.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=cursor))


def test_no_journey_running_starts_one_with_a_fresh_seed():
    with dg.instance_for_test() as instance:
        result = _tick(instance, cursor="4")
        assert len(result.run_requests) == 1
        request = result.run_requests[0]
        assert request.run_key == "journey-5"
        assert request.run_config["ops"]["kafka_topics"]["config"]["seed"] == 5
        assert result.cursor == "5"


def test_journey_in_progress_is_left_alone():
    with dg.instance_for_test() as instance:
        add_run(instance, "simulate_journey", dg.DagsterRunStatus.STARTED)
        result = _tick(instance, cursor="1")
        assert not result.run_requests
        assert "already running" in result.skip_message


def test_finished_or_failed_journeys_do_not_block_the_next():
    with dg.instance_for_test() as instance:
        add_run(instance, "simulate_journey", dg.DagsterRunStatus.FAILURE)
        add_run(instance, "simulate_journey", dg.DagsterRunStatus.SUCCESS)
        assert len(_tick(instance, cursor="2").run_requests) == 1


def test_cap_stops_new_journeys():
    with dg.instance_for_test() as instance:
        result = _tick(instance, cursor=str(MAX_JOURNEYS))
        assert not result.run_requests
        assert "cap" in result.skip_message
