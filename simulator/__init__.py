"""A fleet of connected vehicles driving London <-> Birmingham, emitting five IoT feeds.

Knows nothing of Dagster or Spark; record shapes come from `iot_contracts`.

    from simulator import SimulationConfig, run_simulation, KafkaSink, JsonlSink
    summary = run_simulation(SimulationConfig(vehicles=3, as_fast_as_possible=True), JsonlSink("out.jsonl"))
"""

from simulator.clock import DEFAULT_START
from simulator.run import Progress, SimulationConfig, run_simulation
from simulator.sinks import ConfluentKafkaSink, JsonlSink, KafkaSink, MemorySink, Sink, kafka_sink
from simulator.summary import RunSummary

__all__ = [
    "DEFAULT_START",
    "ConfluentKafkaSink",
    "JsonlSink",
    "KafkaSink",
    "MemorySink",
    "Progress",
    "RunSummary",
    "SimulationConfig",
    "Sink",
    "kafka_sink",
    "run_simulation",
]
