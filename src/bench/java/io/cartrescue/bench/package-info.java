/**
 * The benchmark harness: throughput, latency, scale and replay figures of cart-rescue against their
 * targets, and JMH benchmarks of the hot code. Compiled only with the Maven profile {@code bench};
 * run with {@code java -jar target/cart-rescue-bench.jar [--quick]}. It measures and prints, it
 * asserts nothing: benchmarks are not tests.
 */
package io.cartrescue.bench;
