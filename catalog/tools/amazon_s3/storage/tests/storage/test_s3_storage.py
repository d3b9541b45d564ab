{%- set store = stack.channels.object_store -%}
"""What only the S3 storage has to prove, read back with boto3: keys under the prefix, a bucket made on first write."""

from __future__ import annotations

import boto3
import pandas as pd
import pytest

from {{ cookiecutter.package_name }} import storage


def test_a_key_lands_under_the_prefix_of_a_bucket_created_on_first_write(
    object_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("{{ store.bucket_env }}", "fresh-bucket")
    monkeypatch.setenv("{{ store.prefix_env }}", "team/project/")
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert storage.write_table("tables/t.csv", frame) == "s3://fresh-bucket/team/project/tables/t.csv"
    s3 = boto3.client("s3", endpoint_url=object_store)
    body = s3.get_object(Bucket="fresh-bucket", Key="team/project/tables/t.csv")["Body"].read()
    assert body.decode().splitlines() == ["a,b", "1,x", "2,y"]


@pytest.mark.parametrize("key", ["/raw/iris.csv", "raw/../../other/iris.csv"])
def test_a_key_cannot_leave_the_prefix(key: str) -> None:
    with pytest.raises(ValueError, match="stay under the prefix"):
        storage.uri(key)
