"""`iot-pipeline stack up|down|status`: the local Kafka broker's lifecycle."""

from __future__ import annotations

import argparse
import json
import sys

from iot_contracts.cli import port_number
from iot_pipeline.stack.broker import KafkaBroker, StackError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    stack = subparsers.add_parser("stack", help="start, stop or inspect the local Kafka broker")
    stack.add_argument("action", choices=["up", "down", "status"])
    stack.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    stack.add_argument("--port", type=port_number, default=9092, help="broker port (default 9092)")
    stack.add_argument("--json", action="store_true", help="print the status as JSON")
    stack.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    broker = KafkaBroker(host=args.host, port=args.port)
    try:
        if args.action == "up":
            already = broker.status().running
            if not already:
                print(f"Starting Kafka (KRaft) on {broker.bootstrap_servers} ...", file=sys.stderr)
            status = broker.up()
            print(("Already running: " if already else "Started: ") + status.describe())
        elif args.action == "down":
            stopped = broker.down()
            print("Stopped the local Kafka broker." if stopped else "No local broker was running.")
            return 0
        else:
            status = broker.status()
            print(json.dumps(status.__dict__) if args.json else status.describe())
            return 0 if status.running else 3
    except StackError as err:
        print(f"iot-pipeline stack {args.action}: error: {err}", file=sys.stderr)
        return 1
    return 0
