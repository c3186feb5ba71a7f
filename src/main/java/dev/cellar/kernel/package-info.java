/**
 * The Jupyter kernel: protocol handling on top of jupyter-jvm-basekernel, an in-process JShell whose
 * user code runs on its own interruptible thread, rich display, the {@code %%cached} cell magic that
 * turns a notebook cell into a {@link dev.cellar.Component} and restores its outputs on a hit, and the
 * {@code %cellar} line magic over {@link dev.cellar.ops.Operations}.
 *
 * <p>May import: the JDK (including {@code jdk.jshell}), cellar's core API and {@code ops}, and the
 * Jupyter protocol libraries (jupyter-jvm-basekernel, gson, jeromq). It is the only package that
 * imports those three. Kernel diagnostics go to the process's original stderr, never into a notebook.
 */
package dev.cellar.kernel;
