/**
 * JMH benchmarks of tensorbridge against its peers, one class per row of the benchmark table
 * (issue 8): {@link org.tensorbridge.bench.P1SharedConversion}, {@link org.tensorbridge.bench.P2CopyConversion},
 * {@link org.tensorbridge.bench.P4EagerArithmetic}. Each class measures tensorbridge and, in the same JMH run,
 * the baselines its row is judged against, so every figure in {@code BENCHMARKS.md} is a ratio of two numbers
 * measured together. A later row (GPU, Arrow, sparse, graph) is a new benchmark class here plus a new
 * {@link org.tensorbridge.bench.report.Row} in {@link org.tensorbridge.bench.report.Rows}.
 *
 * <p>The peers (raw ND4J, the JDK, TensorFlow Java) live in this module only; nothing depends on it.
 */
package org.tensorbridge.bench;
