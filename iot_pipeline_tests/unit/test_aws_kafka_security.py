"""Kafka security settings, written once for kafka-python, translated for Spark's Kafka source."""

import pytest

from iot_pipeline.resources.kafka_security import kafka_option_args, spark_kafka_options


def test_plaintext_needs_nothing():
    assert spark_kafka_options({}) == {}


def test_scram_over_tls_becomes_a_jaas_line():
    got = spark_kafka_options(
        {
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": "SCRAM-SHA-512",
            "sasl_plain_username": "iot",
            "sasl_plain_password": 'p"w',
        }
    )
    assert got == {
        "kafka.security.protocol": "SASL_SSL",
        "kafka.sasl.mechanism": "SCRAM-SHA-512",
        "kafka.sasl.jaas.config": "org.apache.kafka.common.security.scram.ScramLoginModule "
        'required username="iot" password="p\\"w";',
    }


def test_plain_uses_the_plain_login_module():
    got = spark_kafka_options(
        {"sasl_mechanism": "PLAIN", "sasl_plain_username": "u", "sasl_plain_password": "p"}
    )
    assert got["kafka.sasl.jaas.config"].startswith(
        "org.apache.kafka.common.security.plain.PlainLoginModule required"
    )


def test_msk_iam_uses_the_iam_login_module_and_no_secret():
    got = spark_kafka_options({"security_protocol": "SASL_SSL", "sasl_mechanism": "AWS_MSK_IAM"})
    assert got == {
        "kafka.security.protocol": "SASL_SSL",
        "kafka.sasl.mechanism": "AWS_MSK_IAM",
        "kafka.sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
        "kafka.sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
    }


def test_tls_ca_file_and_hostname_check():
    got = spark_kafka_options(
        {"security_protocol": "SSL", "ssl_cafile": "/etc/ca.pem", "ssl_check_hostname": "false"}
    )
    assert got == {
        "kafka.security.protocol": "SSL",
        "kafka.ssl.truststore.type": "PEM",
        "kafka.ssl.truststore.location": "/etc/ca.pem",
        "kafka.ssl.endpoint.identification.algorithm": "",
    }


def test_java_names_pass_through_and_python_only_keys_are_ignored():
    got = spark_kafka_options({"ssl.keystore.type": "PEM", "client_id": "sim"})
    assert got == {"kafka.ssl.keystore.type": "PEM"}


def test_unknown_keys_fail_loudly():
    with pytest.raises(ValueError, match="sasl_oauth_token_provider"):
        spark_kafka_options({"sasl_oauth_token_provider": "x"})
    with pytest.raises(ValueError, match="sasl_mechanism"):
        spark_kafka_options({"sasl_plain_username": "u", "sasl_plain_password": "p"})


def test_kafka_option_args_for_stream_to_lake():
    assert kafka_option_args({"kafka.b": "2", "kafka.a": "x y"}) == [
        "--kafka-option", "kafka.a=x y", "--kafka-option", "kafka.b=2",
    ]  # fmt: skip
