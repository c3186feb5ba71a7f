package dev.cellar.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.ShellChannel;
import io.github.spencerpark.jupyter.channels.ShellHandler;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.messages.HMACGenerator;
import io.github.spencerpark.jupyter.messages.Message;
import org.zeromq.ZMQ;

/**
 * A shell or control socket whose thread waits in the poll for the next request. The protocol library's
 * own channel polls without waiting and then sleeps 50 ms, so every request (every cell, every
 * completion) sat 0-50 ms, 25 ms on average, before the kernel even read it; here it is read when it
 * arrives, and an idle kernel still uses no CPU. Requests are handled as the library handles them: the
 * connection's handler for the message type, with a reply environment whose deferred replies (idle
 * status) go out after the handler returns.
 */
final class WaitingShellChannel extends ShellChannel {
    /** How long one poll waits at most: the longest a closed channel's thread lingers. */
    private static final long POLL_MILLIS = 200;

    private final boolean isControl;
    private final JupyterConnection connection;
    private volatile boolean running;
    private Thread thread;

    WaitingShellChannel(ZMQ.Context context, HMACGenerator hmac, boolean isControl, JupyterConnection connection) {
        super(context, hmac, isControl, connection);
        this.isControl = isControl;
        this.connection = connection;
    }

    @Override
    public synchronized void bind(KernelConnectionProperties props) {
        if (thread != null) {
            throw new IllegalStateException((isControl ? "control" : "shell") + " channel already bound");
        }
        bind(formatAddress(props.getTransport(), props.getIp(),
                isControl ? props.getControlPort() : props.getShellPort()));
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        running = true;
        thread = new Thread(() -> loop(poller), isControl ? "cellar-control" : "cellar-shell");
        thread.start();
    }

    private void loop(ZMQ.Poller poller) {
        try {
            while (running) {
                if (poller.poll(POLL_MILLIS) > 0 && running) {
                    handle(readMessage());
                }
            }
        } catch (RuntimeException e) {
            // The socket or its context was closed under the poll (shutdown): the loop ends.
            if (running) {
                logger.severe((isControl ? "control" : "shell") + " channel stopped: " + e);
            }
        } finally {
            poller.close();
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void handle(Message message) {
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            logger.severe("Unhandled message: " + message.getHeader().getType().getName());
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (Exception e) {
            logger.severe("Unhandled exception handling " + message.getHeader().getType().getName() + ": " + e);
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            connection.close();
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        // The socket belongs to the polling thread: let it leave the poll before the socket closes.
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2 * POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        super.close();
    }

    @Override
    public void waitUntilClose() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
