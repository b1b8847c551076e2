"""Pygments lexer for the neurodyn command and model language.

nbconvert (HTML export, the project's report) and nbviewer highlight a notebook's cells with
the lexer named by the kernel's language_info.pygments_lexer ("neurodyn"). `make install`
puts this module, with the word lists filled in from `neurodyn lexicon`, into the user's
site-packages together with the entry point that makes Pygments find it; nothing is
downloaded.
"""
import re

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (Comment, Keyword, Name, Number, Operator, Punctuation,
                            String, Text, Whitespace)

LEXICON = {"commands": [], "options": [], "keywords": [], "model_keywords": [],  # @ND_LEXICON@
           "functions": [], "constants": []}

_NUMBER = r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_UNIT = r"(?:1|[µu]?[A-Za-zΩ]+(?:\^-?\d+)?(?:[/*][µu]?[A-Za-zΩ]+(?:\^-?\d+)?)*)"
_NAME = r"[A-Za-z_]\w*"


def _alternation(names):
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or "(?!)"


_COMMANDS = _alternation(LEXICON["commands"])
_STATEMENT_WORDS = _alternation(set(LEXICON["commands"]) | set(LEXICON["model_keywords"]))


class NeurodynLexer(RegexLexer):
    """Commands, options, model keywords, numbers with units, strings and comments."""

    name = "neurodyn"
    aliases = ["neurodyn", "nd"]
    filenames = ["*.nd"]
    mimetypes = ["text/x-neurodyn"]
    flags = re.MULTILINE

    tokens = {
        "root": [
            # statement starts first, so that indentation does not hide them
            # NAME = COMMAND …
            (r"^([ \t]*)(" + _NAME + r")([ \t]*)(=)([ \t]*)(" + _COMMANDS + r")\b",
             bygroups(Whitespace, Name.Variable, Whitespace, Operator, Whitespace, Keyword)),
            (r"^([ \t]*)(" + _STATEMENT_WORDS + r")\b", bygroups(Whitespace, Keyword)),
            # dX/dt = … and X' = … in model blocks, NAME = … definitions
            (r"^([ \t]*)(d" + _NAME + r"/dt|" + _NAME + r"')", bygroups(Whitespace, Name.Function)),
            (r"^([ \t]*)(" + _NAME + r"(?:\." + _NAME + r")*)([ \t]*)(=)(?!=)",
             bygroups(Whitespace, Name.Variable, Whitespace, Operator)),
            (r"\n", Whitespace),
            (r"[ \t]+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"(?:[^\\"\n]|\\.)*"?', String.Double),
            # a number with its unit (par gNa = 120 mS/cm^2, init V = -65 mV)
            (r"(" + _NUMBER + r")([ \t]+)(" + _UNIT + r')(?=[ \t]*(?:,|"|#|$))',
             bygroups(Number, Whitespace, Keyword.Type)),
            (_NUMBER, Number),
            (r"(" + _NAME + r")([ \t]*)(=)(?!=)", bygroups(Name.Attribute, Whitespace, Operator)),
            (words(LEXICON["keywords"] + ["for"], suffix=r"\b"), Keyword),
            (words(LEXICON["functions"], suffix=r"(?=\s*\()"), Name.Builtin),
            (words(LEXICON["constants"], suffix=r"\b"), Name.Constant),
            (r"\.\.|[-+*/^<>=!]=?|\?", Operator),
            (_NAME + r"(?:\." + _NAME + r")*", Name),
            (r"[{}\[\](),;\\]", Punctuation),
            (r".", Text),
        ]
    }
