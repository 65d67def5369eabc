"""`iot-pipeline`: the local stack and the one-command demo."""

from __future__ import annotations

import sys

from iot_contracts.cli import OneLineArgumentParser
from iot_pipeline.stack import cli as stack_cli


def build_parser() -> OneLineArgumentParser:
    parser = OneLineArgumentParser(
        prog="iot-pipeline",
        description="Connected-vehicle IoT pipeline: Kafka -> Spark -> Parquet lake, as Dagster assets.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineArgumentParser)
    stack_cli.add_parser(sub)
    try:
        from iot_pipeline import demo
    except ImportError:  # the demo lands with the pipeline
        pass
    else:
        demo.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
