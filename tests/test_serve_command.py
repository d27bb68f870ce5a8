"""``report-qa serve`` refuses what it cannot serve before loading anything: a port out of range or
taken, a named index folder that holds no index (qa.apps.listening, qa.apps.cli)."""

from __future__ import annotations

import socket

import pytest

from qa.apps.cli import main


def _error(capsys) -> str:
    return capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.parametrize("port", ["99999", "0", "http"])
def test_a_port_out_of_range_exits_2_in_chinese(capsys, port: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", port])
    assert exited.value.code == 2 and "端口要是 1 到 65535 的整数" in _error(capsys)


def test_a_taken_port_exits_2_before_loading(capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert _error(capsys) == f"report-qa: error: 127.0.0.1:{port} 已被占用，请换一个端口（--port）。"


def test_a_mistyped_index_folder_is_not_served_the_bundled_report(tmp_path, capsys) -> None:
    # It had been created and served the bundled 紫帽镇 report.
    missing = tmp_path / "nope"
    assert main(["serve", "--index-dir", str(missing)]) == 2
    assert "这里还没有索引" in _error(capsys) and not missing.exists()
