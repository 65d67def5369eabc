"""The lake in S3 (or an S3-compatible store such as MinIO), written by Spark through s3a://."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from pydantic import Field

from iot_contracts import lake
from iot_pipeline.resources.lake import DataFile, LakeStorage, _visible

# S3A asks the AWS SDK's default chain: env vars, web identity (EKS/EMR), profile, instance role.
DEFAULT_CREDENTIALS_PROVIDER = "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider"


class S3Lake(LakeStorage):
    """The lake under s3://bucket/prefix; credentials always come from the default AWS chain."""

    bucket: str = Field(description="S3 bucket holding the lake")
    prefix: str = Field(default="lake", description="Key prefix of the lake root inside the bucket")
    region: str = Field(default="eu-west-2", description="The bucket's AWS region")
    endpoint_url: str | None = Field(
        default=None, description="S3-compatible endpoint (MinIO, moto); None for AWS itself"
    )
    path_style_access: bool | None = Field(
        default=None, description="Path-style URLs; defaults to True whenever endpoint_url is set"
    )

    def _prefix(self) -> str:
        return self.prefix.strip("/")

    def _path_style(self) -> bool:
        return (
            self.path_style_access
            if self.path_style_access is not None
            else bool(self.endpoint_url)
        )

    def root_uri(self) -> str:
        return lake.join(f"s3a://{self.bucket}", self._prefix())

    def s3_client(self) -> Any:
        from dagster_aws.s3 import S3Resource

        return S3Resource(region_name=self.region, endpoint_url=self.endpoint_url).get_client()

    def data_files(self, table: str) -> list[DataFile]:
        base = lake.join(self._prefix(), table) + "/"
        pages = (
            self.s3_client()
            .get_paginator("list_objects_v2")
            .paginate(Bucket=self.bucket, Prefix=base)
        )
        found = []
        for page in pages:
            for obj in page.get("Contents", []):
                rel = tuple(obj["Key"][len(base) :].split("/"))
                if not rel[-1].endswith(".parquet") or not _visible(rel):
                    continue
                # bucket/key: the path pyarrow's S3FileSystem (arrow_filesystem) expects.
                path = f"{self.bucket}/{obj['Key']}"
                found.append(DataFile(path, obj["Size"], obj["LastModified"], "/".join(rel[:-1])))
        return sorted(found, key=lambda f: f.path)

    def arrow_filesystem(self) -> tuple[Any, str]:
        from pyarrow import fs

        kwargs: dict[str, Any] = {"region": self.region}
        if self.endpoint_url:
            url = urlparse(self.endpoint_url)
            kwargs.update(endpoint_override=url.netloc, scheme=url.scheme or "https")
        return fs.S3FileSystem(**kwargs), lake.join(self.bucket, self._prefix())

    def spark_conf(self) -> dict[str, str]:
        """S3A settings for the Spark job; no keys, only where to go and whom to ask for credentials."""
        conf = {
            "spark.hadoop.fs.s3a.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
            "spark.hadoop.fs.s3a.endpoint.region": self.region,
            "spark.hadoop.fs.s3a.aws.credentials.provider": DEFAULT_CREDENTIALS_PROVIDER,
            "spark.hadoop.fs.s3a.path.style.access": str(self._path_style()).lower(),
        }
        if self.endpoint_url:
            conf["spark.hadoop.fs.s3a.endpoint"] = self.endpoint_url
            conf["spark.hadoop.fs.s3a.connection.ssl.enabled"] = str(
                self.endpoint_url.startswith("https")
            ).lower()
        return conf
