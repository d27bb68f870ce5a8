"""A chat: a run of questions where later ones lean on earlier ones (``ReportQA.chat()`` makes one).

Each turn is read the ways ``qa.pipeline.conversation`` lists and answered by its most confident
reading; the conversation keeps what later turns read themselves with: its topic, the question names
replace words of, its level of government, how its last turn was read and the sentences it quoted.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from qa.errors import QuestionError
from qa.pipeline.conversation import named_readings, readings, resolve, retimed
from qa.pipeline.places import places_in
from qa.pipeline.pointing import asked_item, item_answer, lists_nothing, part_question
from qa.pipeline.query import NAMES_NOTHING, check_text, small_talk
from qa.pipeline.reading_choice import answer_readings, best_reading, stands_alone
from qa.pipeline.scope import level_words
from qa.pipeline.turn_words import (
    drills_down,
    elliptical_name,
    in_front,
    names_nothing,
    only_context,
    topic_of,
)
from qa.schema import Answer
from qa.settings import MAX_QUESTION_CHARS
from qa.text.abbreviations import years_spelled_out
from qa.text.normalize import normalize


class Asker(Protocol):
    """What a conversation needs of the bot: one standalone question in, one Answer out."""

    def ask(self, question: str, k: int = 5, filters: Mapping[str, Any] | None = None) -> Answer:
        """Answer a standalone question."""
        ...


class Conversation:
    """A run of questions where later ones may lean on earlier ones (``bot.chat()`` makes one)."""

    def __init__(self, bot: Asker, earlier_questions: Iterable[str] = ()) -> None:
        """``earlier_questions`` resumes a conversation (e.g. a chat window's history) without re-asking."""
        self.bot = bot
        self.topic = ""
        # The last question that was not an elliptical name, as typed: "工人呢？" after "农民呢？" still
        # replaces a word of "城里人收入涨了多少？", in a live chat and in one resumed from its history alike.
        self.previous = ""
        # The level of government the conversation last named (镇里, 全省): a later question naming
        # none is read with it too, as a place named in its topic (紫帽镇) carries over.
        self.level = ""
        self.last = ""  # how the last turn was read: its standalone question
        self.turns: list[Answer] = []
        # As typed, for a turn pointing into an answer of theirs; one string had been read as questions.
        self.earlier = [] if isinstance(earlier_questions, str) else list(earlier_questions)
        if isinstance(earlier_questions, str) or not all(isinstance(q, str) for q in self.earlier):
            raise QuestionError("earlier_questions must be a list of questions, each one text")
        self.resumed: list[str] = []  # the standalone readings of ``earlier_questions``
        for question in self.earlier:
            self.resumed.append(self._advance(question))

    def _advance(self, question: str) -> str:
        """Resume: the question's topic (as resolved in words alone) becomes the context."""
        # Read as a live turn would most likely be: of its time or its name, else with the topic.
        question = years_spelled_out(question)
        named = named_readings(question, self.previous, self.last)
        standalone = (retimed(question, self.last) or named or [resolve(question, self.topic)])[0]
        self.topic = topic_of(standalone) or self.topic
        self._remember(question, standalone)
        self.last = standalone
        return standalone

    def _remember(self, question: str, standalone: str) -> None:
        """Keep ``question`` as the one later names replace words of; for a follow-up (a time, a name,
        in Chinese or English), its ``standalone`` reading: "那CPI呢？" after "2016年呢？" asks of 2016,
        "那居民消费价格呢？" after "那山东呢？" of 山东. And keep the level of government it names, if any."""
        # A turn that names nothing ("今年目标呢？") is its reading too: "那就业呢？" after it had been put
        # in front of its topic (经济目标就业呢？) with no word of it to replace.
        follow_up = (
            only_context(question)
            or elliptical_name(question)
            or names_nothing(question)
            or drills_down(question)
        )
        self.previous = (
            standalone if follow_up or named_readings(question, self.previous, self.last) else question
        )
        self.level = level_words(question) or self.level

    def _readings(self, question: str) -> list[str]:
        """``readings`` of a chat turn, and with the conversation's level of government in front when
        the turn names neither a level nor a place ("那医疗呢？" after "镇里去年财政收入多少？": 镇里医疗呢？;
        not 全国河南呢？ for "河南呢？" after a 全国 question), nor when it names nothing (全国完成了吗？ had
        answered "完成了吗？" after a 2013 target, over the fact that the 2013 report reviews 2012)."""
        forms = readings(question, self.topic, previous=self.previous, last=self.last)
        named = not names_nothing(question)
        if self.level and named and not level_words(question) and not places_in(question, cities=True):
            forms.append(in_front(self.level, question))
        return [form for form in dict.fromkeys(forms) if len(form) <= MAX_QUESTION_CHARS]

    def ask(self, question: str, k: int = 5, filters: Mapping[str, Any] | None = None) -> Answer:
        """Answer ``question`` in the context of the earlier turns: the most confident reading."""
        # "？？？" had been read as "安徽城镇新增就业？？？" and answered, 3,000 characters had failed.
        check_text(question)
        typed, question = question, years_spelled_out(question)  # "11年的呢？" asks of 2011
        # "谢谢" read as "镇里谢谢" quoted the report's thanks; "12345" after a question was read with
        # its topic and answered: a number alone asks nothing, in a chat as on its own.
        text = normalize(question)
        if small_talk(text) or not any(ch.isalpha() for ch in text):
            raise QuestionError(NAMES_NOTHING)

        def ask(reading: str) -> Answer:
            return self.bot.ask(reading, k=k, filters=filters)

        answer = self._pointing_into(question, text, k, filters)
        if answer is None:
            answered = answer_readings(ask, self._readings(question))
            for reading, answer in answered:
                answer.reason["standalone_question"] = reading
            alone = stands_alone(question, self.topic)
            answer = best_reading(
                question, answered, alone, functools.cache(lambda: self._last_answered(ask))
            )
        standalone = answer.reason["standalone_question"]
        self._remember(question, standalone)  # before ``last`` moves on: it reads the turn before
        self.topic, self.last = topic_of(standalone) or self.topic, standalone
        answer.question = typed
        self.turns.append(answer)
        return answer

    def _pointing_into(
        self, question: str, text: str, k: int, filters: Mapping[str, Any] | None
    ) -> Answer | None:
        """The answer of a turn pointing into the answer before (``qa.pipeline.pointing``): an item of
        its list, or a part of its document; None for any other turn."""
        number, part = asked_item(text), part_question(text)
        index = len(self.earlier) + len(self.turns) - 1
        if (number is None and part is None) or index < 0:
            return None
        before = self._answer_of(index)
        # An item's answer points at its list: "第三件是什么？" after "第一件是什么？" (or after "the list is
        # shorter") asks the same list.
        while number is not None and before is not None and lists_nothing(before) and index > 0:
            index -= 1
            before = self._answer_of(index)
        if before is None or not before.passages:
            return None
        if number is not None:  # of a list it has, or "it lists none", not another report's sentence
            answer = item_answer(question, before, number)
        elif part is not None and filters is None:
            answer = self.bot.ask(part, k=k, filters={"doc_id": before.passages[0].doc_id})
        else:
            return None
        answer.reason["standalone_question"] = question if part in (None, text) else part
        return answer

    def _answer_of(self, index: int) -> Answer | None:
        """The answer turn ``index`` (of the earlier questions, then the live turns) had: kept by a live
        chat; in one resumed from its questions (as the web page and HTTP resume at each turn), that
        turn asked again after the ones before it, as it was shown then."""
        live = index - len(self.earlier)
        if live >= 0:
            return self.turns[live]
        with contextlib.suppress(QuestionError):
            return Conversation(self.bot, self.earlier[:index]).ask(self.earlier[index])
        return None

    def _last_answered(self, ask: Callable[[str], Answer]) -> Answer | None:
        """The answer that quoted a sentence last: the last turn answered, else a resumed question
        asked again (the web page resumes from its history at each turn: the repeat had passed there)."""
        last = next((turn for turn in reversed(self.turns) if turn.answer), None)
        for reading in reversed(self.resumed[-3:] if last is None else []):
            with contextlib.suppress(QuestionError):
                if (answer := ask(reading)).answer is not None:
                    return answer
        return last
