package org.tensorbridge.tck;

import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.opentest4j.AssertionFailedError;
import org.tensorbridge.CopyPolicy;
import org.tensorbridge.DType;
import org.tensorbridge.HostArray;
import org.tensorbridge.Shape;
import org.tensorbridge.Tensor;
import org.tensorbridge.TensorBridgeException;
import org.tensorbridge.op.Operations;

/**
 * The kit's first test: the few calls every rule builds on — create a tensor, read it back through
 * {@code toHost(ALWAYS)}, share it with {@code toHost(NEVER)} if the backend declares sharing, run one
 * operation. It judges no rule: it fails only when a step crashes — throws anything but one of the api's
 * documented refusals (a {@link TensorBridgeException}, which the rules judge), or returns null. Wrong
 * values are left to the rules, whose messages say which contract they break. When a step crashes, this
 * test fails once, naming the step and (for an exception from backend code) the spi hook that threw, and
 * {@link ConformanceExtension} marks every rule after it "not verified: smoke failed" instead of letting
 * one broken hook fail dozens of rules with hints that point elsewhere.
 */
public interface SmokeStage extends KitContext {
    /** The report entry key under which the smoke test publishes the backend's device. */
    String DEVICE_ENTRY = "tensorbridge.device";

    /** Runs first (the kit orders its tests by {@link Order}; rules keep the default order). */
    @Test
    @Order(Integer.MIN_VALUE)
    default void smoke(TestReporter reporter) {
        String device = step("ask the backend for its device and capabilities", () -> {
            declared().supportedDTypes();
            return String.valueOf(backend().device());
        });
        reporter.publishEntry(DEVICE_ENTRY, device);
        DType dtype = step("choose a declared dtype", this::smokeDType);
        if (dtype == null) {
            return;
        }
        double[] values = dtype == DType.BOOL ? new double[] {1, 0, 1, 1, 0, 1} : new double[] {1, 2, 3, 4, 5, 6};
        Shape shape = Shape.of(2, 3);
        Tensor tensor = step("create a " + dtype.displayName() + shape + " tensor with fromBuffer(ALWAYS)",
                () -> fixtures().tensor(dtype, shape, values));
        if (tensor == null) {
            return;
        }
        try (tensor) {
            step("read it back with toHost(ALWAYS)", () -> read(tensor, CopyPolicy.ALWAYS));
            if (declared().sharesHostMemory()) {
                step("share it with toHost(NEVER), as the backend declares sharesHostMemory",
                        () -> read(tensor, CopyPolicy.NEVER));
            }
            if (declared().supports(Operations.ADD, dtype)) {
                step("add it to itself and read the sum", () -> {
                    try (Tensor sum = backend().add(tensor, tensor)) {
                        return read(sum, CopyPolicy.ALWAYS);
                    }
                });
            } else {
                step("reshape it to [3, 2] (the backend has no add kernel for " + dtype.displayName() + ")", () -> {
                    try (Tensor view = backend().reshape(tensor, 3, 2)) {
                        return read(view, CopyPolicy.ALWAYS);
                    }
                });
            }
        }
    }

    /** The dtype of the smoke tensor: the first declared of float32, float64, int32, int64, else any. */
    private DType smokeDType() {
        for (DType candidate : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64)) {
            if (declared().supports(candidate)) {
                return candidate;
            }
        }
        return declared().supportedDTypes().iterator().next();
    }

    /** Reads a tensor's elements; the values are the rules' business, a crash or null is the smoke's. */
    private static double[] read(Tensor tensor, CopyPolicy policy) {
        if (tensor == null) {
            throw new AssertionFailedError("the operation returned null instead of a tensor");
        }
        try (HostArray host = tensor.toHost(policy)) {
            if (host == null) {
                throw new AssertionFailedError("toHost(" + policy + ") returned null");
            }
            return host.convertToDoubleArray();
        }
    }

    /**
     * Runs one step and returns its result, or null if the backend refused it with a documented exception
     * (the rules judge refusals). A crash fails the smoke stage, naming the step and, when backend code
     * threw, where and in which hook.
     */
    private static <T> T step(String what, SmokeStep<T> step) {
        try {
            T result = step.run();
            if (result == null) {
                throw new AssertionFailedError("it returned null");
            }
            return result;
        } catch (Exception | LinkageError | AssertionError failure) {
            if (failure instanceof TensorBridgeException) {
                return null;
            }
            String cause = failure instanceof AssertionError ? failure.getMessage()
                    : failure.getClass().getName() + ": " + failure.getMessage();
            String where = BackendFault.of(failure).map(f -> " (" + f.describe() + ")").orElse("");
            throw new Failure("\"" + what + "\" failed: " + firstLine(cause) + where, failure);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** One step of the smoke stage. */
    @FunctionalInterface
    interface SmokeStep<T> {
        /** Runs the step. */
        T run() throws Exception;
    }

    /** The smoke stage's failure: which step failed and why, on one line ({@link #rootCause()}). */
    final class Failure extends AssertionFailedError {
        private static final long serialVersionUID = 1L;
        private final String rootCause;

        Failure(String rootCause, Throwable cause) {
            super("smoke stage: " + rootCause, cause);
            this.rootCause = rootCause;
        }

        /** The failed step and its cause, for example {@code "share it ..." failed: ...}. */
        public String rootCause() {
            return rootCause;
        }
    }
}
