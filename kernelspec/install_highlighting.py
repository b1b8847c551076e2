"""Installs the highlighters of the neurodyn language, filled with its words.

usage: install_highlighting.py NEURODYN_BINARY KERNELSPEC_DIR

- KERNELSPEC_DIR/kernel.js: the classic Notebook's CodeMirror mode (kernelspec/kernel.js
  with the lexicon filled in);
- the Pygments lexer (kernelspec/neurodyn_pygments.py, filled in the same way) in the user's
  site-packages of this Python, with a dist-info whose entry point ("pygments.lexers")
  lets Pygments, and so nbconvert and the report, find it by the name "neurodyn".

The word lists come from `NEURODYN_BINARY lexicon`, so they follow the kernel's registry.
Nothing is downloaded; running it again replaces what it wrote.
"""
import json
import os
import re
import shutil
import site
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DIST = "neurodyn_pygments"


def fill(template, pattern, lexicon):
    """The template's text with the placeholder object (matched by pattern) replaced."""
    with open(os.path.join(HERE, template), encoding="utf-8") as f:
        text = f.read()
    filled, n = re.subn(pattern, lambda m: m.group(1) + json.dumps(lexicon), text, count=1,
                        flags=re.S)
    if n != 1:
        sys.exit(f"install_highlighting: no lexicon placeholder in {template}")
    return filled


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def install_pygments(lexicon, version):
    target = site.getusersitepackages()
    module = fill("neurodyn_pygments.py",
                  r"(LEXICON = )\{[^}]*# @ND_LEXICON@[^}]*\}", lexicon)
    write(os.path.join(target, DIST + ".py"), module)
    for name in os.listdir(target):
        if name.startswith(DIST + "-") and name.endswith(".dist-info"):
            shutil.rmtree(os.path.join(target, name))
    info = os.path.join(target, f"{DIST}-{version}.dist-info")
    write(os.path.join(info, "METADATA"),
          f"Metadata-Version: 2.1\nName: {DIST}\nVersion: {version}\n"
          "Summary: Pygments lexer for the neurodyn language (installed by make install)\n")
    write(os.path.join(info, "entry_points.txt"),
          "[pygments.lexers]\nneurodyn = neurodyn_pygments:NeurodynLexer\n")
    write(os.path.join(info, "INSTALLER"), "neurodyn make install\n")
    write(os.path.join(info, "RECORD"),
          "".join(f"{p},,\n" for p in (DIST + ".py", *(
              f"{DIST}-{version}.dist-info/{n}"
              for n in ("METADATA", "entry_points.txt", "INSTALLER", "RECORD")))))
    return target


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    binary, spec_dir = sys.argv[1:]
    lexicon = json.loads(subprocess.run([binary, "lexicon"], check=True, capture_output=True,
                                        text=True).stdout)
    version = subprocess.run([binary, "--version"], check=True, capture_output=True,
                             text=True).stdout.split()[-1]
    write(os.path.join(spec_dir, "kernel.js"),
          fill("kernel.js", r"(/\*@ND_LEXICON@\*/)\{.*?\}(?=;)", lexicon))
    target = install_pygments(lexicon, version)
    print(f"highlighting: {spec_dir}/kernel.js, Pygments lexer 'neurodyn' in {target}")


if __name__ == "__main__":
    main()
