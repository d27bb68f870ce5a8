"""The units a figure is written in (1.6亿元, 3600个, 8.8%): a word of Chinese text, read by the loader
(a number is never cut from its unit) and by the key figures (``qa.facts.figures``)."""

from __future__ import annotations

__all__ = ["UNITS"]

# Longest first, so 个百分点 wins over 个, 人次 over 人, 千瓦时 over 千瓦.
UNITS = (
    "个百分点", "百分点", "%", "％", "‰",
    "美元", "欧元", "港元", "元",
    "平方公里", "平方千米", "平方米", "立方米", "公里", "千米", "公顷", "亩",
    "千瓦时", "千瓦", "标箱", "吨", "公斤", "千克", "斤",
    "人次", "人", "名", "位", "户", "周岁", "岁", "倍",
    # Durations (合同期限36个月, 年休假5天, 2小时): 36个月 had been read as 36个.
    "个工作日", "工作日", "个月", "个小时", "小时", "分钟", "天",
    "个", "家", "所", "件", "项", "条", "座", "台", "辆", "套", "间", "张", "宗", "株", "处",
    "场次", "场", "次", "起", "批", "支", "栋", "幢", "艘", "架", "例", "笔", "种", "部",
)  # fmt: skip
