/**
 * The Jupyter kernel: protocol handling on top of jupyter-jvm-basekernel, an in-process JShell whose
 * user code runs on its own interruptible thread, rich display, and the {@code %%cached} cell magic
 * that turns a notebook cell into a {@link dev.cellar.Component} and restores its outputs on a hit.
 *
 * <p>May import: the JDK (including {@code jdk.jshell}), cellar's core API, and the Jupyter protocol
 * libraries (jupyter-jvm-basekernel, gson, jeromq). It is the only package that imports those three.
 * Kernel diagnostics go to the process's original stderr, never into a notebook.
 */
package dev.cellar.kernel;
