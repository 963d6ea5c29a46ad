package org.tensorbridge.spi;

import org.tensorbridge.memory.HostStorage;
import org.tensorbridge.memory.Storage;

/**
 * Host views of tensor memory (optional). Its presence is the backend's sharing capability: a backend
 * that supplies it shares ({@code NEVER} succeeds), one that does not copies, so the declaration cannot
 * disagree with the behaviour. {@link #writable()} says whether shares may be written through.
 *
 * <p>For memory an engine owns (a native buffer), return {@link HostStorage#viewOf} over it: the engine
 * memory is retained while the view lives and counted once.
 *
 * <p>Implementations must be thread-safe.
 */
public interface HostSharing {
    /**
     * Host memory that aliases {@code storage}, with a reference taken for the caller, or null if this
     * particular storage cannot be shared.
     */
    HostStorage share(Storage storage);

    /**
     * {@link #share} for a caller that holds a reference to {@code held} and passes it on: the returned
     * memory keeps that reference instead of taking one of its own. Returns null, the caller keeping its
     * reference, if this storage cannot be shared. The default shares and then releases the caller's
     * reference; sharing that returns the storage itself overrides it to skip both.
     */
    default HostStorage shareHeld(Storage held) {
        HostStorage shared = share(held);
        if (shared != null) {
            held.release();
        }
        return shared;
    }

    /** True if shares may be {@link org.tensorbridge.Access#WRITABLE}. */
    boolean writable();

    /** Sharing for memory that is already {@link HostStorage}, as the CPU backend's is. */
    static HostSharing ofHostStorage(boolean writable) {
        return new HostSharing() {
            @Override
            public HostStorage share(Storage storage) {
                if (storage instanceof HostStorage host) {
                    host.retain();
                    return host;
                }
                return null;
            }

            @Override
            public HostStorage shareHeld(Storage held) {
                return held instanceof HostStorage host ? host : null;
            }

            @Override
            public boolean writable() {
                return writable;
            }
        };
    }
}
