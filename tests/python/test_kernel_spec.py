"""The standard kernel conformance tests of jupyter_kernel_test, filled in for neurodyn."""

import unittest

import jupyter_kernel_test

# conftest.py (loaded by pytest before this module) points NEURODYN_HISTORY at a temporary
# file before any kernel starts.


class NeurodynKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "neurodyn"

    language_name = "neurodyn"
    file_extension = ".nd"

    code_hello_world = 'print "hello, world"'
    code_stderr = 'warn "something is off"'

    # The workspace names below are bound in setUpClass.
    completion_samples = [
        {"text": "he", "matches": ["help"]},
        {"text": "hel", "matches": ["help"]},
        {"text": "rep", "matches": ["repeat"]},
        {"text": "print spec_alpha_", "matches": ["spec_alpha_one", "spec_alpha_two"]},
        {"text": "let y = spec_alpha_t", "matches": ["spec_alpha_two"]},
        {"text": "spec_be", "matches": ["spec_beta"]},
        {"text": "clear w", "matches": ["wait="]},
    ]

    complete_code_samples = [
        "1+2",
        'print "hello"',
        "let x = 1",
        "# just a comment",
        "repeat 2 { print 1 }",
        "repeat 2 {\n  print 1\n}",
        "let y = (1 +\n 2)",
    ]
    incomplete_code_samples = [
        "repeat 3 {",
        "repeat 2 {\n  print 1",
        "let y = (1 +",
        "print (2 * (3",
    ]
    invalid_code_samples = [
        "1 + 2)",
        ")",
        "print 1)",
    ]

    code_page_something = "?print"

    code_generate_error = "undefined_name_for_the_error_test"

    code_execute_result = [
        {"code": "1+2", "result": "3"},
        {"code": "6*7", "result": "42"},
        {"code": "7/2", "result": "3.5"},
        {"code": "2^10", "result": "1024"},
        {"code": "let spec_r = 5\nspec_r * 2", "result": "10"},
        {"code": "1+2", "mime": "application/vnd.neurodyn+json",
         "result": {"type": "number", "value": 3}},
    ]

    code_display_data = [
        {"code": "help", "mime": "text/plain"},
        {"code": "help", "mime": "text/html"},
        {"code": "help sleep", "mime": "text/plain"},
        {"code": "vars", "mime": "text/plain"},
        {"code": "vars", "mime": "text/html"},
    ]

    # Matches "6*7" (and nothing else of code_execute_result, which unique=True checks).
    code_history_pattern = "6?7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "print"

    code_clear_output = 'print "going"\nclear'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        msg_id = cls.kc.execute(
            "let spec_alpha_one = 1\nlet spec_alpha_two = 2\nlet spec_beta = 3")
        reply = cls.kc.get_shell_msg(timeout=10)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "ok", reply["content"]


if __name__ == "__main__":
    unittest.main()
