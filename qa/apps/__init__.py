"""The surfaces over ``qa.api.ReportQA``: the ``report-qa`` command (``cli``), the HTTP server
(``server``: JSON API and web page) and the Gradio web interface (``ui``)."""
