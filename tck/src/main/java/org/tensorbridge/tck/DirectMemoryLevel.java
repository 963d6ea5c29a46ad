package org.tensorbridge.tck;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import org.tensorbridge.memory.HostStorage;

/**
 * The JVM's direct-memory level, for checking that a run gave back the off-heap memory it took: the
 * bytes of the "direct" buffer pool less the host blocks the spi keeps for reuse. Direct buffers are
 * returned when the garbage collector finds them unreachable (Java 17 cannot free one explicitly), so
 * {@link #settled()} collects until the level stops falling. Stateless; thread-safe.
 */
public final class DirectMemoryLevel {
    /** Growth a run may leave behind without leaking: JDK-internal buffers, native libraries' own small ones. */
    public static final long SLACK_BYTES = 4L << 20;

    private DirectMemoryLevel() {
    }

    /** The level now, without collecting. */
    public static long now() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed() - HostStorage.idleReusableBytes();
            }
        }
        throw new IllegalStateException("this JVM reports no 'direct' buffer pool; run on a HotSpot-based JDK");
    }

    /** The level after garbage collections, once two in a row free nothing more (at most about 2 s). */
    public static long settled() throws InterruptedException {
        long level = now();
        for (int round = 0; round < 20; round++) {
            System.gc();
            Thread.sleep(100);
            long next = now();
            if (next >= level && round > 1) {
                return next;
            }
            level = Math.min(level, next);
        }
        return level;
    }
}
