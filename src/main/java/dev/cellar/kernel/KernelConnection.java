package dev.cellar.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.publish.PublishStatus;
import java.security.GeneralSecurityException;
import org.zeromq.ZMQ;

/**
 * The protocol library's connection with the shell and control sockets replaced by ones that read a
 * request as soon as it arrives ({@link WaitingShellChannel}); heartbeat, stdin and iopub are the
 * library's. The library's own shell and control sockets are created by its constructor but never bound.
 */
final class KernelConnection extends JupyterConnection {
    private final KernelConnectionProperties props;
    private final ZMQ.Context context = ZMQ.context(1);
    private final WaitingShellChannel shellChannel;
    private final WaitingShellChannel controlChannel;
    private boolean connected;
    private boolean closed;

    KernelConnection(KernelConnectionProperties props) throws GeneralSecurityException {
        super(props);
        this.props = props;
        this.shellChannel = new WaitingShellChannel(context, props.createHMACGenerator(), false, this);
        this.controlChannel = new WaitingShellChannel(context, props.createHMACGenerator(), true, this);
    }

    @Override
    public synchronized void connect() {
        if (connected) {
            return;
        }
        heartbeat.bind(props);
        shellChannel.bind(props);
        controlChannel.bind(props);
        stdin.bind(props);
        iopub.bind(props);
        getIOPub().sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        connected = true;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        controlChannel.close();
        shellChannel.close();
        super.close();
        context.close();
    }

    @Override
    public void waitUntilClose() {
        shellChannel.waitUntilClose();
        controlChannel.waitUntilClose();
        super.waitUntilClose();
    }
}
