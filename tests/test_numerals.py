"""The one numeral parser (qa.text.numerals): what metadata, headings and key figures ask of it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa.text.numerals import chinese_numeral, figures_in_digits, parse_numeral


@pytest.mark.parametrize(
    ("written", "value"),
    [
        # Arabic, as written in reports and on web pages
        ("2026", 2026),
        ("１２", 12),
        ("1.6", 1.6),
        ("１.６", 1.6),
        ("1,234", 1234),
        ("7 4 7 7 2", 74772),
        # dates and years: digit by digit, with either zero
        ("二〇二六", 2026),
        ("二○二二", 2022),
        ("一九○七", 1907),
        ("零", 0),
        ("〇", 0),
        ("二十七", 27),
        ("十二", 12),
        ("三十一", 31),
        # heading numbers
        ("十三", 13),
        ("两", 2),
        ("一百二十", 120),
        ("一百零五", 105),
        # key figures
        ("三", 3),
        ("十五", 15),
        ("两千", 2000),
        ("三千五百万", 35_000_000),
        ("一亿二千万", 120_000_000),
        ("三亿零四百七十五万", 304_750_000),
        ("六万万", 600_000_000),  # the 1950s way to write 六亿
        ("三点五", 3.5),
        ("八点八", 8.8),
        ("1.6万", 16_000),
    ],
)
def test_parse_numeral(written: str, value: float) -> None:
    assert parse_numeral(written) == pytest.approx(value)


@pytest.mark.parametrize("written", ["", "十十", "百", "三点五点六", "百分之", "abc"])
def test_text_that_is_no_number_is_a_value_error(written: str) -> None:
    with pytest.raises(ValueError):
        parse_numeral(written)


@given(st.integers(min_value=0, max_value=99_999_999))
def test_chinese_numerals_read_back(n: int) -> None:
    assert parse_numeral(chinese_numeral(n)) == n


@given(st.text(alphabet="零〇○一二两三四五六七八九十百千万亿点0123456789., ", max_size=12))
def test_any_numeral_like_text_gives_a_number_or_a_value_error(text: str) -> None:
    try:
        value = parse_numeral(text)
    except ValueError:
        return
    assert isinstance(value, float)


def test_chinese_numeral_writes_heading_numbers() -> None:
    written = [chinese_numeral(n) for n in (1, 2, 10, 13, 20, 120)]
    assert written == ["一", "二", "十", "十三", "二十", "一百二十"]


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("2015年经济增长了百分之六点九吗？", "2015年经济增长了6.9%吗？"),
        ("哪項銷量增長了百分之九十三點四？", "哪項銷量增長了93.4%？"),
        ("三千四百一十一公里指的是什么？", "3411公里指的是什么？"),
        ("城镇新增就业一千二百零六万人", "城镇新增就业1206万人"),
        ("十二万亿元", "12万亿元"),
        ("两万三千余人", "23000余人"),
        ("三点八万亿元", "3.8万亿元"),
        # Words made of numeral characters, ordinals, o'clock and a numeral without a unit stay.
        ("千万不要", "千万不要"),
        ("十分重要", "十分重要"),
        ("十四五规划", "十四五规划"),
        ("二十大精神", "二十大精神"),
        ("十九届五中全会", "十九届五中全会"),
        ("第一百二十条", "第一百二十条"),
        ("早上八点开门", "早上八点开门"),
        ("五十多年", "五十多年"),
    ],
)
def test_figures_in_chinese_numerals_are_written_in_digits(spoken: str, written: str) -> None:
    # Found by helpers: 百分之六点九 and 三千四百一十一公里 were refused, 6.9% and 3411公里 answered.
    assert figures_in_digits(spoken) == written
