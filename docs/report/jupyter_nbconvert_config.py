# nbconvert configuration for the neurodyn report (`make report`, tests/python/test_report.py).
# Used as: jupyter nbconvert --config docs/report/jupyter_nbconvert_config.py --to html ...
import base64
import os

c = get_config()  # noqa: F821  (provided by traitlets when the file is loaded)

_here = os.path.dirname(os.path.abspath(__file__))
c.TemplateExporter.extra_template_basedirs = [_here]
c.HTMLExporter.template_name = "neurodyn"
c.HTMLExporter.mathjax_url = "mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"


def _nd_base64(text):
    """SVG text (str or list of lines) -> base64 for a data: URI."""
    if isinstance(text, list):
        text = "".join(text)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


c.TemplateExporter.filters = {"nd_base64": _nd_base64}
