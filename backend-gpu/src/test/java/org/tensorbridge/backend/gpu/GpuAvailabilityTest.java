package org.tensorbridge.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorbridge.Availability;

/**
 * The provider without OpenCL: failing platform queries injected in-process, and child JVMs in which
 * {@code libOpenCL.so} cannot load or the ICD loader finds no driver. Needs no OpenCL.
 */
class GpuAvailabilityTest {

    private static GpuBackendProvider failingWith(Throwable failure) {
        return new GpuBackendProvider(() -> () -> {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) failure;
        }, DeviceSelection::fromSystem);
    }

    private static void assertNamesThePackages(Availability availability) {
        assertFalse(availability.isAvailable());
        assertTrue(availability.reason().contains(GpuBackendProvider.PACKAGES), availability.reason());
    }

    @Test
    void missingLibOpenClIsUnavailableWithTheReasonAndThePackages() {
        Availability availability = failingWith(new UnsatisfiedLinkError(
                "Could not initialize native OpenCL library. Implementation library could not be loaded")).probe();
        assertNamesThePackages(availability);
        assertTrue(availability.reason().contains("libOpenCL.so"), availability.reason());
        assertTrue(availability.reason().contains("Implementation library could not be loaded"), availability.reason());
    }

    @Test
    void aClassThatFailedToInitialiseIsUnavailable() {
        assertNamesThePackages(failingWith(new NoClassDefFoundError("Could not initialize class org.jocl.CL")).probe());
    }

    @Test
    void noPlatformIsUnavailable() {
        Availability availability = new GpuBackendProvider(() -> List::of, DeviceSelection::fromSystem).probe();
        assertNamesThePackages(availability);
        assertTrue(availability.reason().contains("no OpenCL platform"), availability.reason());
    }

    @Test
    void aFailingDriverIsUnavailable() {
        assertNamesThePackages(failingWith(new OpenClException("clGetPlatformIDs failed with CL_OUT_OF_HOST_MEMORY",
                -6)).probe());
        assertNamesThePackages(failingWith(new IllegalArgumentException("a broken driver")).probe());
        assertNamesThePackages(failingWith(new AssertionError("a broken driver")).probe());
    }

    @Test
    void aSelectionNoDeviceMeetsIsUnavailableListingTheDevices() {
        DeviceInfo cpu = GpuDeviceSelectionTest.device(0, 0, "pthread", "Portable Computing Language",
                org.jocl.CL.CL_DEVICE_TYPE_CPU);
        Availability availability = new GpuBackendProvider(() -> () -> List.of(cpu),
                () -> DeviceSelection.from(name -> name.equals(GpuBackendProvider.DEVICE_PROPERTY) ? "nvidia" : null,
                        name -> null)).probe();
        assertFalse(availability.isAvailable());
        assertTrue(availability.reason().contains("0:0 pthread"), availability.reason());
    }

    @Test
    void nameAndPriorityAreBelowTheCpuBackend() {
        GpuBackendProvider provider = new GpuBackendProvider();
        assertEquals("gpu", provider.name());
        assertTrue(provider.priority() < 100, "the CPU backend has priority 100");
    }

    /** Runs {@link ProbeMain} in a child JVM with extra environment; returns its output. */
    private static String probeInChild(String variable, String value) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ProbeMain.class.getName()).redirectErrorStream(true);
        builder.environment().put(variable, value);
        Process child = builder.start();
        byte[] output = child.getInputStream().readAllBytes();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), "the child JVM crashed or failed:\n" + text);
        return text;
    }

    @Test
    void withoutLoadableLibOpenClTheRealProbeReportsUnavailable(@TempDir Path dir)
            throws IOException, InterruptedException {
        // An empty file named libOpenCL.so, found first through LD_LIBRARY_PATH, makes dlopen fail.
        Files.write(dir.resolve("libOpenCL.so"), new byte[0]);
        String output = probeInChild("LD_LIBRARY_PATH", dir.toString());
        assertTrue(output.contains("probe: unavailable"), output);
        assertTrue(output.contains(GpuBackendProvider.PACKAGES), output);
        assertTrue(output.contains("discovery: gpu unavailable"), "discovery did not list gpu:\n" + output);
    }

    @Test
    void withoutAnIcdDriverTheRealProbeReportsUnavailable(@TempDir Path dir) throws IOException, InterruptedException {
        // The ICD loader reads drivers from OCL_ICD_VENDORS instead of /etc/OpenCL/vendors: here, none.
        String output = probeInChild("OCL_ICD_VENDORS", dir.toString());
        assertTrue(output.contains("probe: unavailable"), output);
        assertTrue(output.contains(GpuBackendProvider.PACKAGES), output);
    }
}
