/**
 * The Jupyter kernel's protocol side: {@link dev.cellar.kernel.KernelMain} (the entry point Jupyter
 * launches), {@link dev.cellar.kernel.CellarKernel} (wires the parts below to jupyter-jvm-basekernel:
 * execute, complete, inspect, interrupt, shutdown) and {@link dev.cellar.kernel.Notebook} (functions
 * notebook code calls, such as {@code display}).
 *
 * <p>Sub-packages, each importing only those to its right: {@code kernel} → {@code kernel.cached}
 * ({@code %%cached}) → {@code kernel.magic} (magic parsing and registry, line magics) →
 * {@code kernel.jshell} (JShell evaluation, execution control, errors) → {@code kernel.display}
 * (rendering values). No sub-package imports this one.
 *
 * <p>May import: the JDK, cellar's API, its sub-packages, and the Jupyter protocol libraries
 * (jupyter-jvm-basekernel, gson, jeromq); it is the only package that imports those three, and
 * converts the kernel's {@link dev.cellar.kernel.display.MimeBundle} to the library's display data at
 * the edge. Kernel diagnostics go to the process's original stderr, never into a notebook.
 */
package dev.cellar.kernel;
