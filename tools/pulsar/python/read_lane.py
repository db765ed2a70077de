"""Reads one message from a topic with the official Python Pulsar client and decodes it through the
topic's schema registry alone: no copy of the .proto, no generated code. What a subscriber in another
language does with a Patternmesh lane.

    read_lane.py --service-url pulsar://... --admin-url http://... --topic persistent://t/ns/x \
        --subscription s [--timeout-ms 30000]

Prints one JSON object: the schema version the message carries, the registry's type and root message
name for that version, and the message as proto3 JSON (MessageToDict). Exits non-zero on any failure.
"""

import argparse
import base64
import json
import sys
import urllib.parse
import urllib.request

import pulsar
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory


def fetch_schema(admin_url, topic, version):
    """GET /admin/v2/schemas/{tenant}/{namespace}/{topic}/schema/{version}."""
    rest = topic.split("://", 1)[1]
    tenant, namespace, local = (urllib.parse.quote(p, safe="") for p in rest.split("/", 2))
    url = f"{admin_url.rstrip('/')}/admin/v2/schemas/{tenant}/{namespace}/{local}/schema/{version}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def message_class(schema_data):
    """The root message class, built from a PROTOBUF_NATIVE schema's FileDescriptorSet."""
    native = json.loads(schema_data)
    files = descriptor_pb2.FileDescriptorSet.FromString(base64.b64decode(native["fileDescriptorSet"]))
    pool = descriptor_pool.DescriptorPool()
    # Dependencies come first in the set (as protoc --include_imports writes it).
    for file in files.file:
        pool.Add(file)
    root = pool.FindMessageTypeByName(native["rootMessageTypeName"])
    return native, message_factory.GetMessageClass(root)


def schema_version_number(raw):
    """The message's schema version: the registry's version as 8 big-endian bytes."""
    if isinstance(raw, str):
        # pulsar-client 3.13's binding hands the bytes over as a UTF-8-decoded str (so a version with
        # a byte >= 0x80, i.e. 128 and up, cannot even be read through it); encoding undoes that.
        raw = raw.encode("utf-8")
    if len(raw) != 8:
        raise ValueError(f"unexpected schema version {raw!r} (is it stamped on the message?)")
    return int.from_bytes(raw, "big")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--service-url", required=True)
    parser.add_argument("--admin-url", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--subscription", required=True)
    parser.add_argument("--timeout-ms", type=int, default=30_000)
    args = parser.parse_args()

    client = pulsar.Client(args.service_url, logger=pulsar.ConsoleLogger(pulsar.LoggerLevel.Warn))
    try:
        consumer = client.subscribe(
            args.topic,
            args.subscription,
            consumer_type=pulsar.ConsumerType.Shared,
            initial_position=pulsar.InitialPosition.Earliest,
        )
        message = consumer.receive(timeout_millis=args.timeout_ms)
        version = schema_version_number(message.schema_version())
        schema = fetch_schema(args.admin_url, args.topic, version)
        native, cls = message_class(schema["data"])
        decoded = cls.FromString(message.data())
        consumer.acknowledge(message)
        print(
            json.dumps(
                {
                    "schemaVersion": version,
                    "schemaType": schema["type"],
                    "rootMessageTypeName": native["rootMessageTypeName"],
                    "message": json_format.MessageToDict(decoded),
                }
            )
        )
        consumer.close()
    finally:
        client.close()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # the test shows this text when it fails
        print(f"read_lane.py: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
