package dev.cellar.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Entry point Jupyter launches: {@code java ... dev.cellar.kernel.KernelMain CONNECTION_FILE}. */
public final class KernelMain {
    /** Held so that the level set on it is not lost to garbage collection of the logger. */
    private static final Logger ROOT_LOGGER = Logger.getLogger("");

    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp cellar-all.jar dev.cellar.kernel.KernelMain CONNECTION_FILE");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            System.err.println("cellar kernel: no connection file " + file);
            System.exit(2);
        }
        // Create the logging handlers now, while System.err is still the real stderr: the kernel takes
        // System.err over for notebooks, and protocol logs must not end up in one.
        // The protocol library logs every socket loop's start and stop at INFO under ad-hoc names
        // ("Loop-shell"); only warnings are worth a line in the kernel's log.
        ROOT_LOGGER.getHandlers();
        ROOT_LOGGER.setLevel(Level.WARNING);
        JupyterSocket.JUPYTER_LOGGER.setLevel(Level.WARNING);
        // Store, codecs and JShell warm up on other threads while this one builds the kernel and connects.
        WarmUp warm = WarmUp.start();

        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(file));
        JupyterConnection connection = new KernelConnection(props);
        CellarKernel kernel = new CellarKernel(warm::store);
        warm.kernelBuilt(kernel);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        kernel.close();
        System.exit(0);
    }
}
