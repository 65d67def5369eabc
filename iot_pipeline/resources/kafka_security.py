"""Kafka security settings written once (kafka-python style) and translated for Spark's Kafka source.

The producer (kafka-python) takes `KafkaResource.client_options` as they are; Spark's Java client wants
`kafka.`-prefixed Java names and a JAAS line for SASL. Unknown keys fail loudly instead of being dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

# kafka-python name -> Java client name (Spark adds the `kafka.` prefix).
_DIRECT = {
    "security_protocol": "security.protocol",
    "sasl_mechanism": "sasl.mechanism",
    "sasl_kerberos_service_name": "sasl.kerberos.service.name",
}
# Python-only tuning with no meaning for the Java client.
_PYTHON_ONLY = {"client_id", "request_timeout_ms", "api_version", "api_version_auto_timeout_ms"}

_JAAS_MODULES = {
    "PLAIN": "org.apache.kafka.common.security.plain.PlainLoginModule",
    "SCRAM-SHA-256": "org.apache.kafka.common.security.scram.ScramLoginModule",
    "SCRAM-SHA-512": "org.apache.kafka.common.security.scram.ScramLoginModule",
}
MSK_IAM_LOGIN_MODULE = "software.amazon.msk.auth.iam.IAMLoginModule"
MSK_IAM_CALLBACK = "software.amazon.msk.auth.iam.IAMClientCallbackHandler"


def _jaas_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def spark_kafka_options(client_options: Mapping[str, str]) -> dict[str, str]:
    """kafka-python client options -> Spark Kafka source options (`kafka.security.protocol`, ...)."""
    opts = {str(k): str(v) for k, v in client_options.items()}
    out: dict[str, str] = {}
    mechanism = opts.get("sasl_mechanism", "").upper()
    user, password = opts.pop("sasl_plain_username", None), opts.pop("sasl_plain_password", None)
    if mechanism == "AWS_MSK_IAM":
        # MSK IAM auth: credentials from the default AWS chain (the job's role), never a password.
        out["kafka.sasl.jaas.config"] = f"{MSK_IAM_LOGIN_MODULE} required;"
        out["kafka.sasl.client.callback.handler.class"] = MSK_IAM_CALLBACK
    elif user is not None or password is not None:
        if mechanism not in _JAAS_MODULES:
            raise ValueError(
                f"username/password given but sasl_mechanism is {mechanism or 'unset'}"
            )
        out["kafka.sasl.jaas.config"] = (
            f"{_JAAS_MODULES[mechanism]} required "
            f"username={_jaas_quote(user or '')} password={_jaas_quote(password or '')};"
        )
    cafile = opts.pop("ssl_cafile", None)
    if cafile:
        out["kafka.ssl.truststore.type"] = "PEM"
        out["kafka.ssl.truststore.location"] = cafile
    if opts.pop("ssl_check_hostname", "true").lower() in ("false", "0", "no"):
        out["kafka.ssl.endpoint.identification.algorithm"] = ""
    unknown = []
    for key, value in opts.items():
        if key in _DIRECT:
            out["kafka." + _DIRECT[key]] = value
        elif "." in key:
            # Already a Java client name (e.g. ssl.truststore.location): pass it through.
            out[key if key.startswith("kafka.") else "kafka." + key] = value
        elif key not in _PYTHON_ONLY:
            unknown.append(key)
    if unknown:
        raise ValueError(f"no Spark equivalent known for Kafka client option(s): {sorted(unknown)}")
    return out


def kafka_option_args(spark_options: Mapping[str, str]) -> list[str]:
    """`--kafka-option k=v` arguments for spark_jobs/stream_to_lake.py."""
    return [arg for k, v in sorted(spark_options.items()) for arg in ("--kafka-option", f"{k}={v}")]
