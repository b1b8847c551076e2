// The neurodyn kernel's CodeMirror mode for the classic Notebook, loaded by the Notebook
// from the kernelspec when a notebook uses this kernel. The word lists (commands, options,
// keywords, functions) are filled in by `make install` from `neurodyn lexicon`, so they
// follow the kernel's own registry.
define(["codemirror/lib/codemirror", "codemirror/addon/mode/simple"], function (CodeMirror) {
    "use strict";
    var LEXICON = /*@ND_LEXICON@*/{"commands": [], "options": [], "keywords": [],
        "model_keywords": [], "functions": [], "constants": []};

    function alternation(words) {
        return words.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); })
                    .join("|") || "(?!)";
    }
    var commands = alternation(LEXICON.commands);
    var modelWords = alternation(LEXICON.model_keywords);
    var keywords = alternation(LEXICON.keywords.concat(["for"]));
    var functions = alternation(LEXICON.functions);
    var constants = alternation(LEXICON.constants);
    var number = "-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?";
    var unit = "(?:1|[µu]?[A-Za-zΩ]+(?:\\^-?\\d+)?(?:[/*][µu]?[A-Za-zΩ]+(?:\\^-?\\d+)?)*)";

    var rules = [
        {regex: /#.*/, token: "comment"},
        {regex: /"(?:[^\\"]|\\.)*"?/, token: "string"},
        // NAME = COMMAND … at the start of a statement
        {regex: new RegExp("(\\s*)([A-Za-z_]\\w*)(\\s*)(=)(\\s*)(" + commands + ")\\b"), sol: true,
         token: [null, "def", null, "operator", null, "keyword"]},
        {regex: new RegExp("(\\s*)(" + commands + "|" + modelWords + ")\\b"), sol: true,
         token: [null, "keyword"]},
        // dX/dt = … and X' = … in model blocks
        {regex: /(\s*)(d[A-Za-z_]\w*\/dt|[A-Za-z_]\w*')/, sol: true, token: [null, "def"]},
        {regex: /(\s*)([A-Za-z_][\w.]*)(\s*)(=)(?!=)/, sol: true,
         token: [null, "def", null, "operator"]},
        // a number with its unit (par gNa = 120 mS/cm^2, init V = -65 mV)
        {regex: new RegExp("(" + number + ")(\\s+)(" + unit + ")(?=\\s*(?:,|\"|#|$))"),
         token: ["number", null, "string-2"]},
        {regex: new RegExp(number), token: "number"},
        {regex: new RegExp("([A-Za-z_]\\w*)(\\s*)(=)(?!=)"), token: ["attribute", null, "operator"]},
        {regex: new RegExp("\\b(?:" + keywords + ")\\b"), token: "keyword"},
        {regex: new RegExp("\\b(?:" + functions + ")(?=\\s*\\()"), token: "builtin"},
        {regex: new RegExp("\\b(?:" + constants + ")\\b"), token: "atom"},
        {regex: /\.\.|[-+*\/^<>=!]=?|\?/, token: "operator"},
        {regex: /[A-Za-z_][\w.]*/, token: "variable"},
        {regex: /[{}[\](),;]/, token: "bracket"}
    ];

    function onload() {
        CodeMirror.defineSimpleMode("neurodyn", {start: rules, meta: {lineComment: "#"}});
        CodeMirror.defineMIME("text/x-neurodyn", "neurodyn");
        if (CodeMirror.modeInfo && !CodeMirror.findModeByName("neurodyn"))
            CodeMirror.modeInfo.push({name: "neurodyn", mime: "text/x-neurodyn",
                                      mode: "neurodyn", ext: ["nd"]});
        // A later require of the mode by name (the Notebook's own loader) finds it here.
        define("codemirror/mode/neurodyn/neurodyn", [], function () { return {}; });
        // The notebook may have asked for the mode before this file defined it; its failed
        // load then resets the cells to no mode, possibly after this point. Apply the mode
        // now and again once such a late failure has had time to land.
        function apply() {
            var nb = window.Jupyter && window.Jupyter.notebook;
            if (nb && nb.set_codemirror_mode && nb.codemirror_mode !== "neurodyn") {
                nb.codemirror_mode = null;
                nb.set_codemirror_mode("neurodyn");
            }
        }
        apply();
        [250, 1000, 3000].forEach(function (ms) { setTimeout(apply, ms); });
        if (window.Jupyter && window.Jupyter.notebook && window.Jupyter.notebook.events)
            window.Jupyter.notebook.events.on("kernel_ready.Kernel", apply);
    }
    return {onload: onload};
});
