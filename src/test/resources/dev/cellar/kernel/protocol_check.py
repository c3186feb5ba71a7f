# Drives the kernel over the Jupyter protocol with jupyter_client (Debian's python3-jupyter-client):
# complete, inspect, is_complete, interrupt while idle, restart. Prints one "name: value" line per check.
import sys
import jupyter_client

km, kc = jupyter_client.manager.start_new_kernel(kernel_name="cellar", startup_timeout=120)


def execute(code, timeout=120):
    msg_id = kc.execute(code)
    texts, errors = [], []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status" and content["execution_state"] == "idle":
            break
        if kind == "stream":
            texts.append(content["text"])
        elif kind in ("execute_result", "display_data"):
            texts.append(content["data"].get("text/plain", ""))
        elif kind == "error":
            errors.append(content["ename"])
    return "".join(texts).replace("\n", " | "), errors


def is_complete(code):
    msg_id = kc.is_complete(code)
    while True:
        msg = kc.get_shell_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]["status"]


try:
    info = kc.kernel_info(reply=True, timeout=60)["content"]
    print("language:", info["language_info"]["name"])
    print("define:", execute("double protoRate = 2.5;"))
    reply = kc.complete("protoR", 6, reply=True, timeout=60)["content"]
    print("complete:", "protoRate" in reply["matches"], reply["cursor_start"])
    reply = kc.inspect("Math.max(1, 2)", 7, reply=True, timeout=60)["content"]
    print("inspect:", reply["found"], "max(" in reply["data"].get("text/plain", ""))
    print("is_complete:", is_complete("for (int i = 0; i < 2; i++) {"), is_complete("int z = 1;"))
    km.interrupt_kernel()
    print("after idle interrupt:", execute("protoRate * 2"))
    print("cached first:", execute("%%cached proto --params=protoRate\ndouble protoOut = protoRate * 4;"))
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=120)
    print("after restart lost:", execute("protoRate")[1])
    print("redefine:", execute("double protoRate = 2.5;"))
    print("cached again:", execute("%%cached proto --params=protoRate\ndouble protoOut = protoRate * 4;"))
    print("restored:", execute("protoOut"))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=False)
