"""The KRaft cluster id handed to kafka-storage: its format and its first character."""

from __future__ import annotations

import base64
import uuid

from iot_pipeline.stack import broker


def test_cluster_ids_are_16_bytes_url_safe_base64():
    cluster_id = broker._cluster_id()
    assert len(cluster_id) == 22
    assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16


def test_a_cluster_id_never_starts_with_a_dash(monkeypatch):
    # The storage tool would read '-...' as an option; force the unlucky draw first.
    draws = iter([uuid.UUID(bytes=b"\xf8" + bytes(15)), uuid.UUID(bytes=bytes(16))])
    monkeypatch.setattr(broker.uuid, "uuid4", lambda: next(draws))
    assert base64.urlsafe_b64encode(b"\xf8" + bytes(15)).decode().startswith("-")
    assert broker._cluster_id() == "AAAAAAAAAAAAAAAAAAAAAA"
