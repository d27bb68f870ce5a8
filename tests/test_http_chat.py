"""A chat over HTTP and the CLI, with the real model on the bundled report.

``POST /api/ask`` with ``earlier_questions`` answers the question as the next turn of a chat holding
them (as the web chat and ``ReportQA.chat`` do); ``ask --chat`` reads stdin's lines as one chat.
"""

from __future__ import annotations

import io
import json

import pytest
from fastapi.testclient import TestClient

from qa import ReportQA
from qa.apps.cli import main
from qa.apps.models import answer_json
from qa.settings import MAX_EARLIER

FIRST = "2022年财政总收入是多少？"
FOLLOW_UP = "那今年的目标呢？"


def test_a_follow_up_with_its_earlier_questions_is_read_as_the_chat_reads_it(
    bundled_client: TestClient, bundled_bot: ReportQA
) -> None:
    reply = bundled_client.post(
        "/api/ask", json={"question": FOLLOW_UP, "earlier_questions": [FIRST], "k": 3}
    )
    assert reply.status_code == 200
    body = reply.json()
    assert body == answer_json(bundled_bot.chat([FIRST]).ask(FOLLOW_UP, k=3).to_dict())
    assert "财政总收入" in body["reason"]["standalone_question"]
    assert body["question"] == FOLLOW_UP


def test_without_earlier_questions_a_question_stands_alone(
    bundled_client: TestClient, bundled_bot: ReportQA
) -> None:
    alone = bundled_client.post("/api/ask", json={"question": FOLLOW_UP, "k": 3}).json()
    empty = bundled_client.post(
        "/api/ask", json={"question": FOLLOW_UP, "earlier_questions": [], "k": 3}
    ).json()
    assert alone == empty == answer_json(bundled_bot.ask(FOLLOW_UP, k=3).to_dict())
    assert "standalone_question" not in alone["reason"]


@pytest.mark.parametrize(
    "earlier",
    [FIRST, [1], [None], ["问" * 2001], [FIRST] * (MAX_EARLIER + 1)],
    ids=["not-a-list", "number", "null", "too-long", "too-many"],
)
def test_bad_earlier_questions_are_a_422_naming_the_field(
    bundled_client: TestClient, earlier: object
) -> None:
    reply = bundled_client.post("/api/ask", json={"question": FOLLOW_UP, "earlier_questions": earlier})
    assert reply.status_code == 422
    assert "earlier_questions" in reply.json()["error"]


def test_cli_chat_reads_stdin_as_one_conversation(
    bundled_bot: ReportQA, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    replies = {}
    for flags in (["--chat"], []):
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{FIRST}\n{FOLLOW_UP}\n"))
        assert main(["ask", "--json", *flags, "--index-dir", str(bundled_bot.index_dir)]) == 0
        replies[bool(flags)] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    chat, alone = replies[True], replies[False]
    assert chat[1] == answer_json(bundled_bot.chat([FIRST]).ask(FOLLOW_UP).to_dict())
    assert "财政总收入" in chat[1]["reason"]["standalone_question"]
    assert "standalone_question" not in alone[1]["reason"]
