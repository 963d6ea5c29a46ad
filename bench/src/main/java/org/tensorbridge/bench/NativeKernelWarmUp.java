package org.tensorbridge.bench;

/**
 * The warm-up of the benchmarks whose time goes to native kernels of ND4J or TensorFlow (P4, P4b, P8a, P8c).
 * Measured on the 2-core development machine, one fork per benchmark: an add of 1 M float32 elements runs
 * 1.5–2× slower during a fork's first 5–8 seconds, on both sides (tensorbridge's 759 µs falling to 300–380 µs,
 * TensorFlow Java's eager add 457 µs to 310–350 µs; unchanged with {@code -XX:+AlwaysPreTouch}, so not the Java
 * heap's first touch). Two seconds of warm-up compared those start-up phases with each other, which is why the
 * earlier reports' 1 M ratios swung by 2× between runs; six seconds measure both sides settled.
 */
final class NativeKernelWarmUp {
    /** One-second warm-up iterations. */
    static final int ITERATIONS = 6;

    private NativeKernelWarmUp() {
    }
}
