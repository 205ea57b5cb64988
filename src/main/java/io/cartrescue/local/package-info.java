/**
 * A real Kafka broker and a real Confluent-compatible schema registry for the demo and the
 * integration tests, started by the project itself as child JVMs from files the build puts in
 * {@code target/local} (no Docker).
 *
 * <p>Both servers listen on free ports of 127.0.0.1 only, write their output to log files in the work
 * directory, and never outlive the JVM that started them:
 * <ul>
 *   <li>{@code close()} sends SIGTERM, waits, then kills the process and its descendants;</li>
 *   <li>a shutdown hook does the same when this JVM ends normally, on Ctrl-C or on SIGTERM;</li>
 *   <li>when this JVM is killed with {@code kill -9}, each child's {@link io.cartrescue.local.ParentWatchdog}
 *       agent sees its stdin pipe close and exits on its own.</li>
 * </ul>
 * {@code ChildCleanupIT} proves the last two by killing a JVM that holds a {@link io.cartrescue.local.LocalStack}.
 */
package io.cartrescue.local;
