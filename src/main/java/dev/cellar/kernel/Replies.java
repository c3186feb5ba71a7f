package dev.cellar.kernel;

import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.JupyterIO;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.reply.ExecuteReply;
import io.github.spencerpark.jupyter.messages.reply.HistoryReply;
import io.github.spencerpark.jupyter.messages.reply.KernelInfoReply;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What the protocol library (jupyter-jvm-basekernel 2.3.0) cannot send as it is: a kernel_info_reply
 * with the {@code status} field the message schema requires, and an execute_reply with a pager
 * payload. Both are the library's reply types with one more field, serialized by its own Gson. The
 * library attaches its notebook streams to a request through a protected method; {@link #attach}
 * calls it for the kernel's own execute handler.
 */
final class Replies {
    private Replies() {
    }

    /** kernel_info_reply with {@code "status": "ok"}. */
    static final class KernelInfo extends KernelInfoReply {
        @SuppressWarnings("unused") // serialized by Gson
        private final String status = "ok";

        KernelInfo(String protocolVersion, String implementation, String implementationVersion, LanguageInfo info,
                String banner, List<LanguageInfo.Help> helpLinks) {
            super(protocolVersion, implementation, implementationVersion, info, banner, helpLinks);
        }
    }

    /** execute_reply with a payload (pages for the front end's pager). */
    static final class ExecuteWithPayload extends ExecuteReply {
        @SuppressWarnings("unused") // serialized by Gson
        private final List<Map<String, Object>> payload;

        ExecuteWithPayload(int count, List<Map<String, Object>> payload) {
            super(count, Collections.emptyMap());
            this.payload = List.copyOf(payload);
        }
    }

    /**
     * Sends a history_reply: {@code "status": "ok"} and each entry as the protocol's tuple {@code
     * [session, line, input]} or {@code [session, line, [input, output]]} (the library's own reply has
     * neither the status nor, in this version, the tuples).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void history(ShellReplyEnvironment env, List<HistoryEntry> entries) {
        List<Object> rows = new java.util.ArrayList<>();
        for (HistoryEntry e : entries) {
            rows.add(List.of(e.getSession(), e.getCellNumber(),
                    e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput()));
        }
        Map<String, Object> content = Map.of("status", "ok", "history", rows);
        env.reply(new Message(env.getContext(), (MessageType) HistoryReply.MESSAGE_TYPE, content));
    }

    /** A pager payload: the front end shows {@code data} in its pager. */
    static Map<String, Object> page(Map<String, Object> data) {
        return Map.of("source", "page", "data", data, "start", 0);
    }

    private static final Method SET_ENV;
    private static final Method RETRACT_ENV;
    private static final Method SET_STDIN;

    static {
        try {
            SET_ENV = JupyterIO.class.getDeclaredMethod("setEnv", ShellReplyEnvironment.class);
            RETRACT_ENV = JupyterIO.class.getDeclaredMethod("retractEnv", ShellReplyEnvironment.class);
            SET_STDIN = JupyterIO.class.getDeclaredMethod("setJupyterInEnabled", boolean.class);
            SET_ENV.setAccessible(true);
            RETRACT_ENV.setAccessible(true);
            SET_STDIN.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Connects the kernel's notebook streams to {@code env} until its deferred actions run. */
    static void attach(JupyterIO io, ShellReplyEnvironment env, boolean stdin) {
        try {
            SET_ENV.invoke(io, env);
            env.defer(() -> {
                try {
                    RETRACT_ENV.invoke(io, env);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
            SET_STDIN.invoke(io, stdin);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the protocol library changed: " + e, e);
        }
    }
}
