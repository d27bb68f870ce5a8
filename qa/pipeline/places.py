"""Places a question names: provinces by their short names, and cities, counties and towns.

Read by the coverage check (a place the collection lacks is refused as such) and by retrieval
(a report year named without any place means the State Council's report).
"""

from __future__ import annotations

import re

from qa.pipeline.query import Query
from qa.text.normalize import CJK_RANGES

# The provincial-level divisions, by the short names people use (a fact list, complete).
PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)  # fmt: skip
# A named city, county or town: two to four characters before 市/县/镇/乡 (not 区: 开发区, 示范区
# and 自贸区 are programmes, not places), at the start or after a pause or a year ("2025年深圳市"),
# not beginning with a function word, and not 市场/市长/县委/镇长/乡镇/乡村/县城/市政…; but
# 市政府/县政府 ("苏州市政府工作报告") is the place's government.
_LOCALITY = re.compile(
    rf"(?:^|(?<=[,，。、？?\s年的]))(?![的了在和与及是有对把被从到各全本我])"
    rf"[{CJK_RANGES}]{{2,4}}?(?:市|县|镇|乡)(?![场长委民级区镇村城])(?!政(?!府))"
)

# Words that end like a place name and are none: 城市, 乡镇, 股市 …
_NOT_PLACES = ("城市", "城镇", "乡镇", "集镇", "村镇", "县市", "省市", "超市", "股市", "楼市", "县乡")


def named_places(query: Query) -> list[str]:
    """Places the question names: provinces by their short names, and cities, counties, towns."""
    text = query.normalized
    places = [p for p in PROVINCES if p in text]
    for match in _LOCALITY.finditer(text):
        name = match.group(0)
        if not name.endswith(_NOT_PLACES) and "年" not in name and not any(p in name for p in places):
            places.append(name)
    return places
