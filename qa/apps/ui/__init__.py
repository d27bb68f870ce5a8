"""The Gradio web interface: ``build_ui(bot)`` and the ``ui_assets()`` that go with it at mount time."""

from qa.apps.ui.app import build_ui
from qa.apps.ui.assets import ui_assets

__all__ = ["build_ui", "ui_assets"]
