"""report-qa: answers from Chinese government work reports, quoted from the source.

from qa import ReportQA
bot = ReportQA()
print(bot.ask("2022年财政总收入是多少？").answer)
"""

from qa.api import ReportQA
from qa.errors import DocumentError, IndexStoreError, QuestionError, ReportQAError
from qa.schema import Answer, Document, DocumentInfo, Passage

__all__ = [
    "Answer",
    "Document",
    "DocumentError",
    "DocumentInfo",
    "IndexStoreError",
    "Passage",
    "QuestionError",
    "ReportQA",
    "ReportQAError",
]
