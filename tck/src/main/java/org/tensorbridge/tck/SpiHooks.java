package org.tensorbridge.tck;

import java.util.Map;
import java.util.Set;

/**
 * Names the spi hook (see {@code tck/BACKEND-AUTHORS.md}) that a call from tensorbridge into backend code
 * is, from the calling frame and the name of the method called. The spi calls every hook from a few
 * places: kernels from {@code KernelExecution.run}, sharing and downloads from {@code Conversions},
 * allocation, uploads and wrapping from {@code Creation}, index checks from {@code SparseCreation},
 * value checks from {@code OperationRunner.checkGuards}, fusion from {@code RuntimeSupport.fuse}. Where
 * the method name decides (a {@code Memory} method called from a kernel run), it does. Stateless.
 */
final class SpiHooks {
    private static final Set<String> MEMORY = Set.of("allocate", "allocateForOverwrite", "upload", "download",
            "fill", "maxTensorBytes");
    private static final Set<String> INDEX_CHECKS = Set.of("firstInvalidIndex", "isCanonical", "csrToCoo");
    private static final Map<String, String> BY_METHOD = Map.ofEntries(
            Map.entry("share", "HostSharing.share"),
            Map.entry("shareHeld", "HostSharing.shareHeld"),
            Map.entry("writable", "HostSharing.writable"),
            Map.entry("wrap", "HostWrapping.wrap"),
            Map.entry("holds", "ValueChecks.holds"),
            Map.entry("fuses", "Fusion.fuses"),
            Map.entry("free", "Storage.free (the last reference was released)"),
            Map.entry("create", "BackendProvider.create"),
            Map.entry("probe", "BackendProvider.probe"),
            Map.entry("provider", "the test class's provider()"));

    private static final Set<String> HOOK_INTERFACES = Set.of("Fusion", "HostSharing", "HostWrapping", "IndexChecks",
            "Kernel", "Memory", "SparseKernel", "ValueChecks", "WritingKernel");

    private SpiHooks() {
    }

    /** True for an spi hook interface, whose default methods call its other methods on the backend's behalf. */
    static boolean isHookInterface(String className) {
        return className.startsWith("org.tensorbridge.spi.")
                && HOOK_INTERFACES.contains(className.substring("org.tensorbridge.spi.".length()));
    }

    /** The hook that {@code caller} (null when unknown) reached by calling backend method {@code method}. */
    static String name(StackTraceElement caller, String method) {
        if (MEMORY.contains(method)) {
            return "Memory." + method;
        }
        if (INDEX_CHECKS.contains(method)) {
            return "IndexChecks." + method;
        }
        if (caller != null && caller.getClassName().startsWith("org.tensorbridge.spi.")) {
            String spiClass = caller.getClassName().substring("org.tensorbridge.spi.".length());
            String spiMethod = caller.getMethodName();
            switch (spiClass) {
                case "KernelExecution":
                    return "a kernel of the backend's KernelRegistry";
                case "OperationRunner":
                    if (spiMethod.equals("checkGuards")) {
                        return "ValueChecks.holds";
                    }
                    break;
                case "RuntimeSupport":
                    if (spiMethod.equals("fuse")) {
                        return method.equals("fuses") ? "Fusion.fuses" : "Fusion.run";
                    }
                    break;
                case "Conversions":
                    if (spiMethod.startsWith("lambda$")) {
                        return "Memory.download";
                    }
                    break;
                case "Creation":
                    if (spiMethod.equals("fromBuffer") && method.startsWith("lambda$")) {
                        return "HostWrapping.wrap";
                    }
                    break;
                default:
                    break;
            }
        }
        String known = BY_METHOD.get(method);
        if (known != null) {
            return known;
        }
        return caller == null ? "(none: no tensorbridge frame called it)"
                : "(not a known hook: backend method " + method + ")";
    }
}
