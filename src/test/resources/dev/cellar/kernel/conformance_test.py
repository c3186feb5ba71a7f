"""The Jupyter project's kernel conformance suite (Debian's python3-jupyter-kernel-test) with Java
samples for every test group. Run by KernelConformanceTest with JUPYTER_PATH pointing at the kernel."""
import time
import unittest

import jupyter_kernel_test


class CellarKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "cellar"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # jupyter_client sends kernel_info again every second until a kernel answers, and a JVM takes
        # a few seconds to start: let the replies to those extra requests (and their busy/idle status
        # messages) arrive before the first test flushes the channels and counts messages.
        time.sleep(3)
    language_name = "Java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("to stderr");'

    completion_samples = [
        {"text": "Math.flo", "matches": {"floor(", "floorDiv(", "floorMod("}},
        {"text": "%mav", "matches": {"%maven", "%mavenRepo"}},
    ]

    complete_code_samples = ["int answer = 42;", "System.out.println(1);", "6 * 7", "void f() {}",
                             "import java.util.List;", "%lsmagic"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int y = (1 +", "void g() {"]
    invalid_code_samples = ["int = 7q;", 'String s = "unterminated;', "int 3x = 1;"]

    code_page_something = 'page("text for the pager");'

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": '"ab"'},
        {"code": "new java.awt.image.BufferedImage(4, 3, 1)", "mime": "image/png"},
    ]

    code_display_data = [
        {"code": 'html("<b>bold</b>");', "mime": "text/html"},
        {"code": 'svg("<svg xmlns=\\"http://www.w3.org/2000/svg\\"/>");', "mime": "image/svg+xml"},
        {"code": 'markdown("# title");', "mime": "text/markdown"},
        {"code": "display(new java.awt.image.BufferedImage(4, 3, 1));", "mime": "image/png"},
    ]

    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.abs"

    code_clear_output = 'System.out.println("soon gone");\nclearOutput();'


if __name__ == "__main__":
    unittest.main(verbosity=2)
