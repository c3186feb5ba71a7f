/**
 * Test support shared by the test suites of several packages: child JVMs started with the options of
 * {@code jvm.options}, a forwarding {@code DataStore} base for fault-injecting decorators, and copies of
 * the golden store fixtures. Test code only; main code never imports it.
 */
package dev.cellar.testing;
