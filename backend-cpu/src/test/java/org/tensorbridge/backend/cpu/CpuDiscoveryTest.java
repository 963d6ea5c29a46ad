package org.tensorbridge.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tensorbridge.Backend;
import org.tensorbridge.BackendUnavailableException;
import org.tensorbridge.Backends;
import org.tensorbridge.ProviderStatus;

/**
 * Discovery with two broken providers beside the cpu one (registered in the test resources'
 * META-INF/services, both with a higher priority than cpu): one whose probe throws
 * {@link UnsatisfiedLinkError}, one that reports itself unavailable.
 */
class CpuDiscoveryTest {

    private static Map<String, ProviderStatus> statusesByName() {
        return Backends.list().stream().collect(Collectors.toMap(ProviderStatus::name, Function.identity()));
    }

    @Test
    void defaultBackendIsCpuDespiteHigherPriorityProvidersThatFailed() {
        Backend chosen = Backends.get();

        assertEquals("cpu", chosen.name());
        assertInstanceOf(CpuBackend.class, chosen);
        assertSame(Backends.get("cpu"), chosen, "a backend is created once and shared");
    }

    @Test
    void cpuIsFoundByNameCaseInsensitively() {
        assertEquals("cpu", Backends.get("cpu").name());
        assertSame(Backends.get("cpu"), Backends.get("CPU"));
    }

    @Test
    void listShowsEveryProviderHighestPriorityFirst() {
        List<String> names = Backends.list().stream().map(ProviderStatus::name).toList();

        // The reference backend comes with the CPU backend, which uses its exact kernels, at the lowest priority.
        assertEquals(List.of(ThrowingProbeTestProvider.NAME, UnavailableTestProvider.NAME, "cpu", "reference"), names);
    }

    @Test
    void listReportsCpuAsAvailable() {
        ProviderStatus cpu = statusesByName().get("cpu");

        assertAll(
                () -> assertTrue(cpu.isAvailable()),
                () -> assertEquals("available", cpu.availability().reason()),
                () -> assertEquals(CpuBackendProvider.class.getName(), cpu.providerClass()),
                () -> assertEquals(CpuBackendProvider.PRIORITY, cpu.priority()),
                () -> assertTrue(cpu.failure().isEmpty()));
    }

    @Test
    void listReportsTheUnavailableProviderWithItsOwnReason() {
        ProviderStatus absent = statusesByName().get(UnavailableTestProvider.NAME);

        assertAll(
                () -> assertFalse(absent.isAvailable()),
                () -> assertEquals(UnavailableTestProvider.REASON, absent.availability().reason()),
                () -> assertEquals(UnavailableTestProvider.class.getName(), absent.providerClass()),
                () -> assertEquals(CpuBackendProvider.PRIORITY + 100, absent.priority()),
                () -> assertTrue(absent.failure().isEmpty()),
                () -> assertTrue(absent.toString().contains(UnavailableTestProvider.REASON), absent::toString));
    }

    @Test
    void listReportsTheThrowingProbeWithTheErrorAsReasonAndFailure() {
        ProviderStatus throwing = statusesByName().get(ThrowingProbeTestProvider.NAME);
        String reason = throwing.availability().reason();

        assertAll(
                () -> assertFalse(throwing.isAvailable()),
                () -> assertTrue(reason.contains("UnsatisfiedLinkError"), reason),
                () -> assertTrue(reason.contains(ThrowingProbeTestProvider.ERROR), reason),
                () -> assertEquals(ThrowingProbeTestProvider.class.getName(), throwing.providerClass()),
                () -> assertEquals(CpuBackendProvider.PRIORITY + 200, throwing.priority()),
                () -> assertInstanceOf(UnsatisfiedLinkError.class, throwing.failure().orElseThrow()));
    }

    @Test
    void eachProbeRunsOnceHoweverOftenDiscoveryIsAsked() {
        Backends.list();
        Backends.get();
        Backends.get("cpu");
        Backends.list();

        assertEquals(1, ThrowingProbeTestProvider.PROBES.get());
        assertEquals(1, UnavailableTestProvider.PROBES.get());
    }

    @Test
    void askingForTheUnavailableProviderThrowsListingEveryReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.get(UnavailableTestProvider.NAME));

        assertMessageListsEveryProvider(e.getMessage(), UnavailableTestProvider.NAME);
    }

    @Test
    void askingForTheProviderWhoseProbeThrewThrowsListingEveryReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.get(ThrowingProbeTestProvider.NAME));

        assertMessageListsEveryProvider(e.getMessage(), ThrowingProbeTestProvider.NAME);
    }

    @Test
    void askingForAnUnknownNameThrowsListingEveryReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.get("nosuchbackend"));

        assertMessageListsEveryProvider(e.getMessage(), "nosuchbackend");
    }

    private static void assertMessageListsEveryProvider(String message, String requested) {
        assertAll(
                () -> assertTrue(message.contains("'" + requested + "'"), message),
                () -> assertTrue(message.contains(UnavailableTestProvider.REASON), message),
                () -> assertTrue(message.contains(ThrowingProbeTestProvider.ERROR), message),
                () -> assertTrue(message.contains("cpu"), message));
    }
}
