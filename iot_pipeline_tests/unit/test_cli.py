"""Invalid options: one line on stderr and exit code 2."""

import pytest

from iot_pipeline.cli import main


@pytest.mark.parametrize(
    "argv",
    [
        ["bogus"],
        ["stack"],
        ["stack", "sideways"],
        ["stack", "up", "--port", "99999"],
        ["stack", "up", "--port", "abc"],
        ["demo", "--vehicles", "0"],
        ["demo", "--seed", "-1"],
        ["demo", "--unknown"],
    ],
)
def test_invalid_options_exit_2_with_one_line(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("iot-pipeline")
