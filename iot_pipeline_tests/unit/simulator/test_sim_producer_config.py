"""The kafka-python producer settings the simulator's throughput depends on (bench_producer)."""

from simulator.sinks import KafkaSink, best_compression


def test_producer_is_idempotent_with_large_batches():
    config = KafkaSink().config
    assert config["enable_idempotence"] is True
    assert config["acks"] == "all"
    # Each new batch wakes the sender thread (a GIL hand-off); small batches cost a third of the rate.
    assert config["batch_size"] >= 256 * 1024
    assert config["linger_ms"] >= 20


def test_fast_codec_and_c_checksum_are_installed():
    from kafka.record import util

    assert best_compression() == "lz4"
    # kafka-python silently falls back to a pure-Python crc32c when the C package is missing.
    assert util.crc32c_c is not None
    assert util.calc_crc32c(b"123456789") == 0xE3069283
