package org.tensorbridge.cli;

import java.util.concurrent.Callable;
import org.tensorbridge.Backends;
import org.tensorbridge.ProviderStatus;
import picocli.CommandLine.Command;

/** {@code tensorbridge backends}: every provider discovery saw, its status and reason, and its device. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "Lists every backend provider found, whether it is available and why not, and its device.")
final class BackendsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        var statuses = SlowStep.run("probing backends", Backends::list);
        if (statuses.isEmpty()) {
            System.out.println("no backend provider found on the class path");
            return 1;
        }
        for (ProviderStatus status : statuses) {
            System.out.println(status);
            System.out.println("    provider class: " + status.providerClass());
            if (status.isAvailable()) {
                var backend = Backends.get(status.name());
                System.out.println("    device: " + backend.device());
                System.out.println("    capabilities: " + backend.capabilities());
            }
            status.failure().ifPresent(f -> System.out.println("    failure: " + f));
        }
        System.out.println("default backend: " + Backends.get().name()
                + " (override with -Dtensorbridge.backend=NAME or TENSORBRIDGE_BACKEND=NAME)");
        return 0;
    }
}
