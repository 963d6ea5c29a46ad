package org.tensorbridge.arrow;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh {@link RootAllocator} for every test, closed after it. Arrow's {@code close()} throws on any
 * buffer still open, and that failure fails the test: every test that uses this is a leak test.
 * ({@code ArrowLeakDetectionTest} checks that {@code close()} really throws on a leak.)
 */
final class ArrowAllocatorExtension implements BeforeEachCallback, AfterEachCallback {
    private RootAllocator allocator;

    RootAllocator allocator() {
        return allocator;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        allocator = new RootAllocator();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        RootAllocator closing = allocator;
        allocator = null;
        if (closing != null) {
            String report = closing.toVerboseString();
            // Closing an allocator twice is a no-op, so a test may close it itself first.
            assertDoesNotThrow(closing::close, () -> "Arrow memory leaked by " + context.getDisplayName() + ":\n"
                    + report);
        }
    }
}
