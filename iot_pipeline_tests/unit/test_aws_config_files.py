"""docker-compose.yml and the IAM policy documents: pinned, KRaft, least privilege."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
POLICIES = sorted((ROOT / "iam").glob("*.json"))


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_images_are_pinned():
    services = _compose()["services"]
    assert {"kafka", "minio", "minio-init"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:")
    for name, service in services.items():
        image = service["image"]
        name_part, _, tag = image.rpartition(":")
        assert name_part and tag and tag != "latest" and "/" not in tag, f"{name}: {image}"


def test_compose_kafka_is_single_node_kraft_on_9092():
    kafka = _compose()["services"]["kafka"]
    env = kafka["environment"]
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == "1@kafka:9093"
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] == "CONTROLLER"
    assert "EXTERNAL://localhost:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert "9092:9092" in kafka["ports"]
    assert "ZOOKEEPER" not in json.dumps(env).upper()


def test_compose_creates_the_bucket_after_minio_is_healthy():
    init = _compose()["services"]["minio-init"]
    assert init["depends_on"]["minio"]["condition"] == "service_healthy"
    assert "mc mb --ignore-existing" in " ".join(init["command"])


def _compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_compose_file_validates_with_the_compose_cli():
    cli = _compose_cli()
    if cli is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed")
    # `config` only parses, interpolates and validates: no Docker engine needed.
    done = subprocess.run(
        [*cli, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_there_is_a_policy_for_each_role():
    names = {p.stem for p in POLICIES}
    assert {
        "spark-job-role",
        "glue-catalog-writer",
        "athena-user",
        "redshift-spectrum-role",
    } <= names


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_policy_is_valid_and_never_grants_every_action(path):
    policy = json.loads(path.read_text())
    assert policy["Version"] == "2012-10-17"
    assert policy["Statement"]
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = statement["Action"]
        actions = [actions] if isinstance(actions, str) else actions
        for action in actions:
            assert action != "*" and not action.endswith(":*"), f"{path.name}: {action}"
        resources = statement.get("Resource", [])
        resources = [resources] if isinstance(resources, str) else resources
        assert "*" not in resources, f"{path.name}: Resource *"
