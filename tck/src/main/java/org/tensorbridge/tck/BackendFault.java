package org.tensorbridge.tck;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where in a backend's own code an exception was thrown, read from its stack trace: the innermost frame
 * outside tensorbridge's packages, the JDK and JUnit ({@link #thrownAt}), the backend frame that
 * tensorbridge called ({@link #entry}), the tensorbridge frame that called it ({@link #caller}), and the
 * name of the spi hook that call is ({@link #hook}, for example {@code HostSharing.share}). A kit failure
 * caused by such an exception names the hook, so a backend author looks at the code that broke and not
 * at the rule that happened to run it. Immutable and thread-safe.
 *
 * @param thrownAt the innermost backend frame: where the backend code threw (or called what threw)
 * @param entry the outermost backend frame of that run: the hook implementation tensorbridge called
 * @param caller the tensorbridge frame that called {@code entry}; null if none is on the stack
 * @param hook the spi hook {@code entry} implements, as {@link SpiHooks} names it
 */
public record BackendFault(StackTraceElement thrownAt, StackTraceElement entry, StackTraceElement caller, String hook) {
    private static final List<String> OWN_PACKAGES = List.of("org.tensorbridge.op", "org.tensorbridge.spi",
            "org.tensorbridge.memory", "org.tensorbridge.graph", "org.tensorbridge.tck");
    private static final List<String> PLATFORM_PREFIXES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.",
            "org.junit.", "org.opentest4j.", "org.apiguardian.");

    /**
     * The backend fault behind {@code failure}: the first exception in its chain (itself, then causes and
     * suppressed exceptions) whose stack trace passes through backend code before reaching the kit.
     */
    public static Optional<BackendFault> of(Throwable failure) {
        for (Throwable t : chain(failure)) {
            Optional<BackendFault> fault = locate(t.getStackTrace());
            if (fault.isPresent()) {
                return fault;
            }
        }
        return Optional.empty();
    }

    static Optional<BackendFault> locate(StackTraceElement[] frames) {
        int inner = 0;
        while (inner < frames.length && !isBackend(frames[inner].getClassName())) {
            if (isKit(frames[inner].getClassName())) {
                // The kit (or the spi on its behalf) threw before any backend code ran.
                return Optional.empty();
            }
            inner++;
        }
        if (inner == frames.length) {
            return Optional.empty();
        }
        int callerAt = inner + 1;
        // A hook interface's default method (HostSharing.shareHeld calling share) is part of the hook, not its caller.
        while (callerAt < frames.length && (!isOwn(frames[callerAt].getClassName())
                || SpiHooks.isHookInterface(frames[callerAt].getClassName()))) {
            callerAt++;
        }
        int entryAt = callerAt - 1;
        while (entryAt > inner && !isBackend(frames[entryAt].getClassName())) {
            entryAt--;
        }
        StackTraceElement caller = callerAt < frames.length ? frames[callerAt] : null;
        return Optional.of(new BackendFault(frames[inner], frames[entryAt], caller,
                SpiHooks.name(caller, frames[entryAt].getMethodName())));
    }

    /**
     * One line for a failure message: where the backend threw and which hook it was in, for example
     * {@code thrown in backend code at a.B.share(B.java:12), in the spi hook HostSharing.share (called by
     * org.tensorbridge.spi.Conversions.hostArrayTakingOver)}.
     */
    public String describe() {
        StringBuilder text = new StringBuilder("thrown in backend code at ").append(thrownAt);
        if (!entry.equals(thrownAt)) {
            text.append(", inside ").append(entry);
        }
        text.append(", in the spi hook ").append(hook);
        if (caller != null) {
            text.append(" (called by ").append(caller.getClassName()).append('.').append(caller.getMethodName())
                    .append(')');
        }
        return text.toString();
    }

    /** True for the api's package and the op, spi, memory, graph and tck packages. */
    static boolean isOwn(String className) {
        String pkg = packageOf(className);
        if (pkg.equals("org.tensorbridge")) {
            return true;
        }
        for (String own : OWN_PACKAGES) {
            if (pkg.equals(own) || pkg.startsWith(own + ".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isKit(String className) {
        String pkg = packageOf(className);
        return pkg.equals("org.tensorbridge.tck") || pkg.startsWith("org.tensorbridge.tck.");
    }

    private static boolean isBackend(String className) {
        if (isOwn(className)) {
            return false;
        }
        for (String prefix : PLATFORM_PREFIXES) {
            if (className.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        collect(failure, chain, seen);
        return chain;
    }

    private static void collect(Throwable t, List<Throwable> chain, Map<Throwable, Boolean> seen) {
        if (t == null || seen.put(t, Boolean.TRUE) != null) {
            return;
        }
        chain.add(t);
        collect(t.getCause(), chain, seen);
        for (Throwable suppressed : t.getSuppressed()) {
            collect(suppressed, chain, seen);
        }
    }
}
